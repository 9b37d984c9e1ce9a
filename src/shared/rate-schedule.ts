import { isJsonObject } from './json-value.js';
import { parseWeekdays } from './weekdays.js';

/**
 * When the upload rate cap applies: some days of the week, between two local times (e.g.
 * office hours, when the uplink is shared). Outside it uploads run at full speed.
 */
export interface RateSchedule {
  /** 0 = Sunday … 6 = Saturday. */
  readonly days: readonly number[];
  /** Minutes after local midnight; `to` before `from` spans midnight. */
  readonly from: number;
  readonly to: number;
}

function minutes(text: string): number | undefined {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  return match === null ? undefined : Number(match[1]) * 60 + Number(match[2]);
}

/** `{ "days": "mon-fri", "hours": "09:00-17:00" }`, or a message saying what is wrong. */
export function parseRateSchedule(value: unknown): RateSchedule | { readonly problem: string } {
  const shape = 'must be { "days": "mon-fri", "hours": "09:00-17:00" }';
  if (!isJsonObject(value) || typeof value.hours !== 'string') return { problem: shape };
  const unknown = Object.keys(value).filter((key) => key !== 'days' && key !== 'hours');
  if (unknown.length > 0) return { problem: `unknown key ${unknown.join(', ')}: ${shape}` };
  const [fromText = '', toText = ''] = value.hours.split('-');
  const from = minutes(fromText);
  const to = minutes(toText);
  if (from === undefined || to === undefined || from === to) return { problem: `hours ${shape}` };
  const days =
    value.days === undefined
      ? [0, 1, 2, 3, 4, 5, 6]
      : typeof value.days === 'string'
        ? parseWeekdays(value.days)
        : undefined;
  if (days === undefined) return { problem: `days ${shape}` };
  return { days, from, to };
}

/** Whether the cap applies at local `time`. */
export function scheduleApplies(schedule: RateSchedule, time: Date): boolean {
  const minute = time.getHours() * 60 + time.getMinutes();
  if (schedule.from < schedule.to) {
    return schedule.days.includes(time.getDay()) && minute >= schedule.from && minute < schedule.to;
  }
  // Spanning midnight: the evening belongs to today, the small hours to yesterday's window.
  if (minute >= schedule.from) return schedule.days.includes(time.getDay());
  if (minute < schedule.to) return schedule.days.includes((time.getDay() + 6) % 7);
  return false;
}
