/** A date in the forms the delivery convention accepts: `YYYY-MM-DD` or `YYYYMMDD`. */
export const DATE_PATTERN = String.raw`\d{4}-\d{2}-\d{2}|\d{8}`;

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Splits a string already known to match DATE_PATTERN into its numbers. */
export function splitDate(text: string): CalendarDate {
  const digits = text.replaceAll('-', '');
  return {
    year: Number(digits.slice(0, 4)),
    month: Number(digits.slice(4, 6)),
    day: Number(digits.slice(6, 8)),
  };
}

/**
 * Why a well-formed date is not a real calendar date, or undefined when it is
 * one. The message names the broken part so a person can fix it.
 */
export function calendarProblem(text: string): string | undefined {
  const { year, month, day } = splitDate(text);
  const monthName = MONTH_NAMES[month - 1];
  if (monthName === undefined) return `'${text}' is not a real date: there is no month ${month}`;
  const lastDay = daysInMonth(year, month);
  if (day < 1 || day > lastDay) {
    return `'${text}' is not a real date: ${monthName} ${year} has ${lastDay} days`;
  }
  return undefined;
}

export function formatIsoDate({ year, month, day }: CalendarDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}
