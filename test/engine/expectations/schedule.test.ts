import { describe, expect, it } from 'vitest';
import {
  deliveryDayAfter,
  deliveryDayOnOrBefore,
  deliveryDays,
  dueAt,
  fileDate,
  isDeliveryDay,
  periodEnd,
  type Expectation,
} from '../../../src/engine/expectations/schedule.js';
import { formatIsoDate, splitDate } from '../../../src/shared/calendar-date.js';
import { DEFAULT_RULE } from '../../../src/shared/naming.js';

const day = (iso: string) => splitDate(iso);
const iso = (date: ReturnType<typeof day>) => formatIsoDate(date);
const MON_FRI = { kind: 'weekdays', days: [1, 2, 3, 4, 5] } as const;
const EVERY_DAY = { kind: 'weekdays', days: [0, 1, 2, 3, 4, 5, 6] } as const;

function expectation(overrides: Partial<Expectation> = {}): Expectation {
  return {
    folder: '/data/out',
    rule: DEFAULT_RULE,
    descriptor: 'customers',
    cadence: EVERY_DAY,
    by: 9 * 3600,
    timeZone: 'UTC',
    dated: 'delivery-day',
    ...overrides,
  };
}

describe('delivery days', () => {
  it('every day', () => {
    expect(deliveryDays(EVERY_DAY, day('2026-12-01'), day('2026-12-03')).map(iso)).toEqual([
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
    ]);
  });

  it('a day range and a day list', () => {
    // 2026-12-04 is a Friday.
    expect(deliveryDays(MON_FRI, day('2026-12-04'), day('2026-12-08')).map(iso)).toEqual([
      '2026-12-04',
      '2026-12-07',
      '2026-12-08',
    ]);
    const monWedFri = { kind: 'weekdays', days: [1, 3, 5] } as const;
    expect(deliveryDays(monWedFri, day('2026-12-01'), day('2026-12-07')).map(iso)).toEqual([
      '2026-12-02',
      '2026-12-04',
      '2026-12-07',
    ]);
  });

  it('once a week on a day', () => {
    const mondays = { kind: 'weekdays', days: [1] } as const;
    expect(iso(deliveryDayOnOrBefore(mondays, day('2026-12-03')))).toBe('2026-11-30');
    expect(iso(deliveryDayAfter(mondays, day('2026-11-30')))).toBe('2026-12-07');
  });

  it('once a month, on its last day when the month is shorter', () => {
    const on31 = { kind: 'monthly', on: 31 } as const;
    expect(isDeliveryDay(on31, day('2027-02-28'))).toBe(true);
    expect(isDeliveryDay(on31, day('2028-02-28'))).toBe(false);
    expect(isDeliveryDay(on31, day('2028-02-29'))).toBe(true);
    expect(deliveryDays(on31, day('2026-09-01'), day('2026-12-31')).map(iso)).toEqual([
      '2026-09-30',
      '2026-10-31',
      '2026-11-30',
      '2026-12-31',
    ]);
    expect(iso(deliveryDayAfter({ kind: 'monthly', on: 1 }, day('2026-12-01')))).toBe('2027-01-01');
  });
});

describe('deadlines', () => {
  it('are local times in the zone, across a change to summer time', () => {
    const london = expectation({ timeZone: 'Europe/London' });
    expect(new Date(dueAt(london, day('2026-03-28'))).toISOString()).toBe('2026-03-28T09:00:00.000Z');
    expect(new Date(dueAt(london, day('2026-03-29'))).toISOString()).toBe('2026-03-29T08:00:00.000Z');
    const newYork = expectation({ timeZone: 'America/New_York', by: 7 * 3600 + 30 * 60 });
    expect(new Date(dueAt(newYork, day('2026-10-31'))).toISOString()).toBe('2026-10-31T11:30:00.000Z');
    expect(new Date(dueAt(newYork, day('2026-11-02'))).toISOString()).toBe('2026-11-02T12:30:00.000Z');
  });

  it('a period lasts until the next delivery day starts', () => {
    const weekdays = expectation({ cadence: MON_FRI, timeZone: 'Europe/London' });
    // Friday's file may come over the weekend: its period ends on Monday's midnight.
    expect(new Date(periodEnd(weekdays, day('2026-12-04'))).toISOString()).toBe('2026-12-07T00:00:00.000Z');
    expect(new Date(periodEnd(weekdays, day('2026-07-03'))).toISOString()).toBe('2026-07-05T23:00:00.000Z');
  });

  it('a feed dated the previous day names yesterday', () => {
    expect(iso(fileDate(expectation({ dated: 'previous-day' }), day('2027-01-01')))).toBe('2026-12-31');
    expect(iso(fileDate(expectation(), day('2027-01-01')))).toBe('2027-01-01');
  });
});
