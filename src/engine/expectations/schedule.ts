import { daysInMonth, type CalendarDate } from '../../shared/calendar-date.js';
import type { NamingRule } from '../../shared/naming.js';
import { addDays, dayOfWeek, instantOf } from './zoned-time.js';

/**
 * When an expected file is due. A cadence names the delivery days; the file is due on each by a
 * local time in a zone, and names its date: the delivery day, or the day before for feeds that
 * carry yesterday's data. A delivery day's period lasts until the next delivery day starts:
 * until then a file not yet delivered is late, afterwards it is missing.
 */

export type Cadence =
  /** Days of the week, 0 = Sunday (`day`, `mon-fri`, `mon,wed,fri`, and `week` on one day). */
  | { readonly kind: 'weekdays'; readonly days: readonly number[] }
  /** A day of the month, 1–31; a month without that day has it on its last day. */
  | { readonly kind: 'monthly'; readonly on: number };

export type DatedAs = 'delivery-day' | 'previous-day';

export interface Expectation {
  /** The watched folder, as the agent names it (absolute). */
  readonly folder: string;
  /** The folder's naming rule: a file counts when it passes it with this descriptor and the date. */
  readonly rule: NamingRule;
  readonly descriptor: string;
  readonly cadence: Cadence;
  /** Seconds after local midnight on the delivery day. */
  readonly by: number;
  readonly timeZone: string;
  readonly dated: DatedAs;
  /**
   * When Ferry started to follow it: delivery days before that day were not expected yet, so they
   * are neither late nor missing. Absent: always followed.
   */
  readonly since?: number;
}

/** A year of days: every cadence has a delivery day in any 31 in a row, so this is never reached. */
const SEARCH_DAYS = 400;

export function isDeliveryDay(cadence: Cadence, date: CalendarDate): boolean {
  switch (cadence.kind) {
    case 'weekdays':
      return cadence.days.includes(dayOfWeek(date));
    case 'monthly':
      return date.day === Math.min(cadence.on, daysInMonth(date.year, date.month));
  }
}

function search(cadence: Cadence, from: CalendarDate, step: 1 | -1): CalendarDate {
  for (let i = 0; i < SEARCH_DAYS; i += 1) {
    const date = addDays(from, i * step);
    if (isDeliveryDay(cadence, date)) return date;
  }
  throw new Error('a cadence without a delivery day');
}

/** The latest delivery day on or before `date`. */
export function deliveryDayOnOrBefore(cadence: Cadence, date: CalendarDate): CalendarDate {
  return search(cadence, date, -1);
}

/** The first delivery day after `date`. */
export function deliveryDayAfter(cadence: Cadence, date: CalendarDate): CalendarDate {
  return search(cadence, addDays(date, 1), 1);
}

/** The delivery days from `first` to `last`, both included, in order. */
export function deliveryDays(cadence: Cadence, first: CalendarDate, last: CalendarDate): CalendarDate[] {
  const days: CalendarDate[] = [];
  for (let date = first; ; date = addDays(date, 1)) {
    const time = Date.UTC(date.year, date.month - 1, date.day);
    if (time > Date.UTC(last.year, last.month - 1, last.day)) return days;
    if (isDeliveryDay(cadence, date)) days.push(date);
  }
}

/** When the file of a delivery day is due. */
export function dueAt(expectation: Expectation, day: CalendarDate): number {
  return instantOf(day, expectation.by, expectation.timeZone);
}

/** When a delivery day's period ends: the next delivery day's local midnight. */
export function periodEnd(expectation: Expectation, day: CalendarDate): number {
  return instantOf(deliveryDayAfter(expectation.cadence, day), 0, expectation.timeZone);
}

/** The date the file of a delivery day carries in its name. */
export function fileDate(expectation: Expectation, day: CalendarDate): CalendarDate {
  return expectation.dated === 'previous-day' ? addDays(day, -1) : day;
}
