import { z } from 'zod';
import { isJsonObject } from '../../shared/json-value.js';
import { parseWeekdays, weekday } from '../../shared/weekdays.js';
import { isTimeZone } from '../expectations/zoned-time.js';
import { EVEN_WITH_OTHER_ISSUES } from '../schema/cross-checks.js';
import { exactObject, oneOfMessage } from './schema-parts.js';

/**
 * A file a folder expects: `{ "descriptor": "orders", "every": "mon-fri", "by": "07:30",
 * "timezone": "Europe/London" }`. Kept as written (the window shows and saves it so);
 * `expectationOf` reads it into a schedule.
 */

export const DATED_AS = ['delivery-day', 'previous-day'] as const;

const DESCRIPTOR = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;
const EVERY = 'must be day, week, month, or days such as mon-fri or mon,wed,fri';

/** Seconds after midnight of `HH:MM` or `HH:MM:SS`; undefined when it is no time of day. */
export function secondsOfDay(text: string): number | undefined {
  const match = TIME.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0);
}

/** Whether `every` names a cadence: the three words, or days of the week. */
export function isEvery(text: string): boolean {
  return text === 'day' || text === 'week' || text === 'month' || parseWeekdays(text) !== undefined;
}

/** `on` says which day of a week or a month, and only for those. */
function onChecks(value: unknown, ctx: z.core.$RefinementCtx): void {
  if (!isJsonObject(value)) return;
  const { every, on } = value;
  const problem = (message: string) => {
    ctx.addIssue({ code: 'custom', path: ['on'], message });
  };
  if (every === 'week') {
    if (typeof on !== 'string' || weekday(on) === undefined)
      problem('must be a day of the week (mon … sun) with "every": "week"');
  } else if (every === 'month') {
    if (typeof on !== 'number' || !Number.isInteger(on) || on < 1 || on > 31)
      problem('must be a day of the month, 1 to 31, with "every": "month"');
  } else if (on !== undefined) problem('only applies with "every": "week" or "month"');
}

export const expectationSchema = exactObject(
  {
    descriptor: z.string({ error: 'must be a descriptor' }).regex(DESCRIPTOR, {
      error: "must be a descriptor: a letter or digit, then letters, digits, '_' or '-'",
    }),
    every: z.string({ error: EVERY }).refine(isEvery, { error: EVERY }),
    on: z.union([z.string(), z.number()]).exactOptional(),
    by: z
      .string({ error: 'must be a local time such as 09:00' })
      .refine((text) => secondsOfDay(text) !== undefined, {
        error: 'must be a local time such as 09:00 (or 09:00:30), 00:00 to 23:59:59',
      }),
    timezone: z
      .string({ error: 'must be an IANA time zone such as Europe/London' })
      .refine(isTimeZone, {
        error: (issue) => `unknown time zone '${String(issue.input)}' (an IANA name such as Europe/London)`,
      })
      .exactOptional(),
    date: z.enum(DATED_AS, { error: oneOfMessage(DATED_AS) }).exactOptional(),
  },
  'must be an object',
).superRefine(onChecks, EVEN_WITH_OTHER_ISSUES);

export type ExpectationConfig = z.output<typeof expectationSchema>;

/** At most this many expectations per folder: enough for every feed of a folder, bounded like every list. */
export const MAX_EXPECTATIONS = 100;

export const expectationsSchema = z
  .array(expectationSchema, { error: 'must be a list of expected files' })
  .max(MAX_EXPECTATIONS, { error: `must list at most ${MAX_EXPECTATIONS} expected files` })
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((expectation, index) => {
      if (seen.has(expectation.descriptor))
        ctx.addIssue({
          code: 'custom',
          path: [index, 'descriptor'],
          message: `'${expectation.descriptor}' is expected twice in this folder`,
        });
      seen.add(expectation.descriptor);
    });
  });
