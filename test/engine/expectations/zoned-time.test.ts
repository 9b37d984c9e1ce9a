import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayOfWeek,
  daysBetween,
  instantOf,
  isTimeZone,
  localDate,
  localTime,
} from '../../../src/engine/expectations/zoned-time.js';

const at = (iso: string) => Date.parse(iso);
const hms = (h: number, m: number, s = 0) => h * 3600 + m * 60 + s;

describe('zoned time', () => {
  it('reads an instant as local time in a zone, summer and winter', () => {
    expect(localTime(at('2026-07-01T08:30:15Z'), 'Europe/London')).toEqual({
      date: { year: 2026, month: 7, day: 1 },
      second: hms(9, 30, 15),
    });
    expect(localTime(at('2026-12-01T08:30:00Z'), 'Europe/London').second).toBe(hms(8, 30));
    // A quarter-hour zone, and a date that is already tomorrow there.
    expect(localTime(at('2026-12-03T20:00:00Z'), 'Asia/Kathmandu')).toEqual({
      date: { year: 2026, month: 12, day: 4 },
      second: hms(1, 45),
    });
    expect(localDate(at('2026-12-04T03:00:00Z'), 'America/Los_Angeles')).toEqual({
      year: 2026,
      month: 12,
      day: 3,
    });
  });

  it('finds the instant of a local time', () => {
    expect(instantOf({ year: 2026, month: 12, day: 3 }, hms(9, 0), 'Europe/London')).toBe(
      at('2026-12-03T09:00:00Z'),
    );
    expect(instantOf({ year: 2026, month: 6, day: 3 }, hms(9, 0), 'Europe/London')).toBe(
      at('2026-06-03T08:00:00Z'),
    );
    expect(instantOf({ year: 2026, month: 12, day: 3 }, hms(7, 30), 'Asia/Kathmandu')).toBe(
      at('2026-12-03T01:45:00Z'),
    );
  });

  it('reads a local time the clocks skip with the offset before the change', () => {
    // New York springs forward at 02:00 on 8 March 2026: 02:30 does not exist.
    expect(instantOf({ year: 2026, month: 3, day: 8 }, hms(2, 30), 'America/New_York')).toBe(
      at('2026-03-08T07:30:00Z'),
    );
    expect(localTime(at('2026-03-08T07:30:00Z'), 'America/New_York').second).toBe(hms(3, 30));
    // London skips 01:00–02:00 on 29 March 2026.
    expect(instantOf({ year: 2026, month: 3, day: 29 }, hms(1, 30), 'Europe/London')).toBe(
      at('2026-03-29T01:30:00Z'),
    );
  });

  it('takes the first of a local time that happens twice', () => {
    // New York falls back at 02:00 on 1 November 2026: 01:30 happens in EDT, then in EST.
    expect(instantOf({ year: 2026, month: 11, day: 1 }, hms(1, 30), 'America/New_York')).toBe(
      at('2026-11-01T05:30:00Z'),
    );
    expect(instantOf({ year: 2026, month: 10, day: 25 }, hms(1, 30), 'Europe/London')).toBe(
      at('2026-10-25T00:30:00Z'),
    );
  });

  it('knows the zones Intl knows', () => {
    expect(isTimeZone('Europe/London')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Lundon')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('counts days across months, years and leap days', () => {
    expect(addDays({ year: 2028, month: 2, day: 28 }, 1)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(addDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(addDays({ year: 2026, month: 3, day: 1 }, -1)).toEqual({ year: 2026, month: 2, day: 28 });
    expect(daysBetween({ year: 2026, month: 12, day: 3 }, { year: 2027, month: 1, day: 2 })).toBe(30);
    expect(dayOfWeek({ year: 2026, month: 12, day: 3 })).toBe(4);
  });
});
