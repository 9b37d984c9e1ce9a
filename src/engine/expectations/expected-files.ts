import { fileNameOf } from '../../shared/file-name.js';
import { checkName, type NamingRule } from '../../shared/naming.js';
import { weekday, parseWeekdays } from '../../shared/weekdays.js';
import type { ExpectationConfig } from '../config/expectation-schema.js';
import { secondsOfDay } from '../config/expectation-schema.js';
import type { Cadence, Expectation } from './schedule.js';

/** Which file names count for an expectation, and the expectation a folder's config describes. */

/** `20261203` and `2026-12-03` name the same date. */
function isoDate(text: string): string {
  const digits = text.replaceAll('-', '');
  return `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
}

/** A name that passes the folder's rule with this descriptor and date: it counts. */
export function isExpectedFile(name: string, rule: NamingRule, descriptor: string, date: string): boolean {
  const verdict = checkName(name, rule);
  return (
    verdict.status === 'valid' &&
    verdict.parts.descriptor === descriptor &&
    verdict.parts.date !== undefined &&
    isoDate(verdict.parts.date) === date
  );
}

/**
 * A name meant for this descriptor and date that may not pass the rule (`customers-2026-12-03.csv`,
 * no version): it does not count, but its rejection explains why the expected file is late.
 */
export function looksExpected(name: string, descriptor: string, date: string): boolean {
  const lower = name.toLowerCase();
  const start = descriptor.toLowerCase();
  const next = lower.charAt(start.length);
  return (
    lower.startsWith(start) &&
    /[^a-z0-9]/.test(next) &&
    (name.includes(date) || name.includes(date.replaceAll('-', '')))
  );
}

/** A job's or delivery's folder: the one it was found in, else the folder of its path. */
export function folderOfPath(path: string): string {
  return path.slice(0, path.length - fileNameOf(path).length - 1);
}

function cadenceOf(config: ExpectationConfig): Cadence {
  if (config.every === 'month') return { kind: 'monthly', on: typeof config.on === 'number' ? config.on : 1 };
  if (config.every === 'week')
    return { kind: 'weekdays', days: [typeof config.on === 'string' ? (weekday(config.on) ?? 1) : 1] };
  if (config.every === 'day') return { kind: 'weekdays', days: [0, 1, 2, 3, 4, 5, 6] };
  return { kind: 'weekdays', days: parseWeekdays(config.every) ?? [] };
}

/** The expectation a folder's config entry describes; a `by` without a zone is in `localZone`. */
export function expectationOf(
  config: ExpectationConfig,
  folder: { readonly path: string; readonly rule: NamingRule },
  localZone: string,
): Expectation {
  return {
    folder: folder.path,
    rule: folder.rule,
    descriptor: config.descriptor,
    cadence: cadenceOf(config),
    by: secondsOfDay(config.by) ?? 0,
    timeZone: config.timezone ?? localZone,
    dated: config.date ?? 'delivery-day',
  };
}

/** Every expectation of the watched folders (paths as the agent names them). */
export function folderExpectations(
  folders: readonly {
    readonly path: string;
    readonly rule: NamingRule;
    readonly expect?: readonly ExpectationConfig[] | undefined;
  }[],
  localZone: string,
): Expectation[] {
  return folders.flatMap((folder) => (folder.expect ?? []).map((e) => expectationOf(e, folder, localZone)));
}
