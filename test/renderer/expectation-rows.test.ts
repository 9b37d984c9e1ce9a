import { describe, expect, it } from 'vitest';
import { expectationTable } from '../../src/renderer/expectation-rows.js';
import { newExpectation, withDated, withOn, withTimezone } from '../../src/renderer/settings-form.js';
import type { ExpectationStatus } from '../../src/shared/expectations.js';

const status = (descriptor: string, date: string, state: ExpectationStatus['state'], folder = '/out') => ({
  folder,
  descriptor,
  date,
  due: 0,
  state,
});

describe('the table of expected files', () => {
  it('has a row per folder and descriptor, late ones first, and a column per date', () => {
    const table = expectationTable([
      status('customers', '2026-12-02', 'delivered'),
      status('customers', '2026-12-03', 'delivered'),
      status('orders', '2026-12-02', 'missing'),
      status('orders', '2026-12-03', 'late'),
      status('weekly', '2026-11-30', 'delivered', '/b'),
    ]);
    expect(table.dates).toEqual(['2026-11-30', '2026-12-02', '2026-12-03']);
    expect(table.rows.map((r) => [r.descriptor, r.now.state, r.now.date])).toEqual([
      ['orders', 'late', '2026-12-03'],
      ['weekly', 'delivered', '2026-11-30'],
      ['customers', 'delivered', '2026-12-03'],
    ]);
    expect(table.rows[0]?.days.get('2026-12-02')?.state).toBe('missing');
    expect(table.rows[2]?.days.has('2026-11-30')).toBe(false);
  });
});

describe("a folder's expected files in the settings form", () => {
  it('keeps on, time zone and date as the config writes them', () => {
    const daily = newExpectation();
    expect(daily).toEqual({ descriptor: '', every: 'day', by: '09:00' });
    expect(withOn({ ...daily, every: 'month' }, '15')).toEqual({ ...daily, every: 'month', on: 15 });
    expect(withOn({ ...daily, every: 'week' }, ' mon ')).toEqual({ ...daily, every: 'week', on: 'mon' });
    expect(withOn({ ...daily, every: 'month', on: 15 }, '')).toEqual({ ...daily, every: 'month' });
    expect(withTimezone(daily, 'Europe/London')).toEqual({ ...daily, timezone: 'Europe/London' });
    expect(withTimezone({ ...daily, timezone: 'UTC' }, ' ')).toEqual(daily);
    expect(withDated(daily, 'previous-day')).toEqual({ ...daily, date: 'previous-day' });
    expect(withDated({ ...daily, date: 'previous-day' }, 'delivery-day')).toEqual(daily);
  });
});
