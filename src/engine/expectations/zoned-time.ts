import type { CalendarDate } from '../../shared/calendar-date.js';

/**
 * Wall-clock time in an IANA time zone, from the platform's Intl data: no date library, and the
 * zone rules are the ones the OS and Node ship (updated with them). Instants are milliseconds
 * since the epoch; a local time is a calendar date and seconds after its midnight.
 */

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Whether Intl knows the zone (`Europe/London`, `UTC`); a misspelt one is refused, not taken as UTC. */
export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** The machine's own zone: where a `by` without a `timezone` is read. */
export function localTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export interface LocalTime {
  readonly date: CalendarDate;
  /** Seconds after the local midnight. */
  readonly second: number;
}

/** The local date and time of an instant in a zone. */
export function localTime(instant: number, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant)))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const { year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0 } = parts;
  return { date: { year, month, day }, second: hour * 3600 + minute * 60 + second };
}

/** The local calendar date of an instant in a zone. */
export function localDate(instant: number, timeZone: string): CalendarDate {
  return localTime(instant, timeZone).date;
}

/** Milliseconds the zone is ahead of UTC at an instant (whole seconds). */
function offsetAt(instant: number, timeZone: string): number {
  const { date, second } = localTime(instant, timeZone);
  const asUtc = Date.UTC(date.year, date.month - 1, date.day) + second * 1000;
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a local time happens in a zone. Around a change of offset a local time may happen
 * twice (the clocks go back: the earlier one is taken, when it first happens) or not at all (the
 * clocks go forward: it is read with the offset before the change, so 02:30 on the night that
 * skips 02:00–03:00 is 03:30 — a deadline inside the gap falls as long after it as it was meant
 * to be after its start). These are the choices of Temporal's `compatible` disambiguation.
 */
export function instantOf(date: CalendarDate, second: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + second * 1000;
  // No zone changes its offset twice within two days, so these are the offsets around `wall`.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [wall - before, wall - after].filter(
    (instant) => offsetAt(instant, timeZone) === wall - instant,
  );
  return candidates.length === 0 ? wall - before : Math.min(...candidates);
}

/** The date `days` after (or before) a date. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: CalendarDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/** Whole days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS);
}
