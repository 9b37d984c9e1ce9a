import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/engine/config/validate-config.js';
import { ConfigError } from '../../src/shared/config.js';
import { parseRateSchedule, scheduleApplies, type RateSchedule } from '../../src/shared/rate-schedule.js';

// 5 January 2026 is a Monday; local time, as the schedule is.
const at = (day: number, hour: number, minute = 0) => new Date(2026, 0, 4 + day, hour, minute);
const MON = 1;
const SAT = 6;

function schedule(value: unknown): RateSchedule {
  const parsed = parseRateSchedule(value);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed;
}

describe('the limit-rate schedule', () => {
  it('applies during office hours on weekdays only', () => {
    const office = schedule({ days: 'mon-fri', hours: '09:00-17:00' });
    expect(office.days).toEqual([1, 2, 3, 4, 5]);
    expect(scheduleApplies(office, at(MON, 9))).toBe(true);
    expect(scheduleApplies(office, at(MON, 16, 59))).toBe(true);
    expect(scheduleApplies(office, at(MON, 17))).toBe(false);
    expect(scheduleApplies(office, at(MON, 8, 59))).toBe(false);
    expect(scheduleApplies(office, at(SAT, 10))).toBe(false);
  });

  it('spans midnight, the small hours belonging to the day before', () => {
    const night = schedule({ days: 'fri-sat', hours: '22:00-06:00' });
    expect(night.days).toEqual([5, 6]);
    expect(scheduleApplies(night, at(SAT, 23))).toBe(true);
    // Sunday 03:00 belongs to Saturday night.
    expect(scheduleApplies(night, at(7, 3))).toBe(true);
    // Saturday 03:00 belongs to Friday night; Monday 03:00 to Sunday, which is not listed.
    expect(scheduleApplies(night, at(SAT, 3))).toBe(true);
    expect(scheduleApplies(night, at(8, 3))).toBe(false);
  });

  it('names what is wrong, and needs a rate to apply', () => {
    expect(parseRateSchedule({ days: 'weekdays', hours: '09:00-17:00' })).toHaveProperty('problem');
    expect(parseRateSchedule({ hours: '9-5' })).toHaveProperty('problem');
    expect(parseRateSchedule({ hours: '09:00-17:00', tz: 'UTC' })).toHaveProperty('problem');
    const base = { targets: { t: { profile: 'lexer', endpoint: 'https://api.example.com/v1/uploads' } } };
    expect(() => validateConfig({ ...base, limitRateSchedule: { hours: '09:00-17:00' } })).toThrow(
      ConfigError,
    );
    expect(
      validateConfig({ ...base, limitRate: '5M', limitRateSchedule: { hours: '09:00-17:00' } }),
    ).toMatchObject({
      limitRate: 5 * 1024 * 1024,
      limitRateSchedule: { days: [0, 1, 2, 3, 4, 5, 6], from: 540, to: 1020 },
    });
  });
});
