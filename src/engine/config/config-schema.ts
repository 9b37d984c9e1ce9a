import { z } from 'zod';
import { MAX_CONCURRENCY, NOTIFICATION_MODES } from '../../shared/config.js';
import { parseRate } from '../../shared/rate.js';
import { parseRateSchedule } from '../../shared/rate-schedule.js';
import { EVEN_WITH_OTHER_ISSUES } from '../schema/cross-checks.js';
import { configChecks, targetNameChecks } from './config-checks.js';
import { CONFIG_VERSION } from './config-version.js';
import { folderSchema } from './folder-schema.js';
import { proxySchema } from './proxy-schema.js';
import { exactObject, flag, oneOfMessage } from './schema-parts.js';
import { targetSchema } from './target-schema.js';

/**
 * The agent's configuration file: delivery targets and the folders that feed
 * them, plus the settings of the agent and the app. The one description of
 * the file: its types are inferred from it. The keys are declared in the order
 * their problems are listed.
 */

const WHOLE = 'must be a positive whole number';
const concurrencySchema = z.number({ error: WHOLE }).superRefine((n, ctx) => {
  if (!Number.isInteger(n) || n <= 0) ctx.addIssue(WHOLE);
  else if (n > MAX_CONCURRENCY) ctx.addIssue(`must be at most ${MAX_CONCURRENCY}`);
});

/** `"5M"` or bytes per second in the file; bytes per second in the config. */
const rateSchema = z
  .union([z.string(), z.number()], { error: "must be a rate such as '5M' or bytes per second" })
  .transform((value, ctx) => {
    const rate = parseRate(String(value));
    if (typeof rate === 'number') return rate;
    ctx.addIssue(rate.problem);
    return z.NEVER;
  });

const scheduleSchema = z.unknown().transform((value, ctx) => {
  const schedule = parseRateSchedule(value);
  if (!('problem' in schedule)) return schedule;
  ctx.addIssue(schedule.problem);
  return z.NEVER;
});

export const configSchema = exactObject(
  {
    /** The format (see config-version.ts); absent in files written before it existed. */
    version: z.literal(CONFIG_VERSION, { error: `must be ${CONFIG_VERSION}` }).exactOptional(),
    /** Deliveries at a time per target; `--concurrency` overrides it. */
    concurrency: concurrencySchema.exactOptional(),
    /** The desktop app's notifications (default `all`). */
    notifications: z.enum(NOTIFICATION_MODES, { error: oneOfMessage(NOTIFICATION_MODES) }).exactOptional(),
    /** Whether the desktop app starts when the user logs in (default false). */
    startAtLogin: flag().exactOptional(),
    /** Overrides HTTPS_PROXY / HTTP_PROXY for every request. */
    proxy: proxySchema.exactOptional(),
    /** Upload cap for all uploads together. */
    limitRate: rateSchema.exactOptional(),
    /** When `limitRate` applies; always without it. */
    limitRateSchedule: scheduleSchema.exactOptional(),
    targets: z
      .record(z.string(), targetSchema, { error: 'must be an object of named targets' })
      .superRefine(targetNameChecks, EVEN_WITH_OTHER_ISSUES),
    folders: z.array(folderSchema, { error: 'must be an array' }).default([]),
  },
  'must be a JSON object',
).superRefine(configChecks, EVEN_WITH_OTHER_ISSUES);

export type FerryConfig = z.output<typeof configSchema>;
