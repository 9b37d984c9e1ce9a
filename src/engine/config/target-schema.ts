import { z } from 'zod';
import { AUTH_STYLES, endpointProblem, PROFILES, type ProfileName } from '../../shared/config.js';
import { isDotPath } from '../../shared/dot-path.js';
import { isJsonObject, type JsonObject } from '../../shared/json-value.js';
import { brokenAt, EVEN_WITH_OTHER_ISSUES } from '../schema/cross-checks.js';
import { PROTOCOLS } from '../protocols/registry.js';
import { exactObject, oneOfMessage, positiveNumber, positiveWhole } from './schema-parts.js';

/** A delivery target: endpoint, auth style and profile, with the templates and limits the profile allows. */

const DOT_PATH = 'must be a dot-path such as "data.upload.url"';
const dotPath = z.string({ error: DOT_PATH }).refine(isDotPath, { error: DOT_PATH });

/** Failures in a row: the backoff is at its 60 s cap long before, so more only holds a job. */
const MAX_ATTEMPTS = 100;
const WEEK_SECONDS = 7 * 24 * 3600;
const HOUR_SECONDS = 3600;
/** The largest file any profile carries (S3 multipart's 5 TiB). */
const MAX_FILE_BYTES = Math.max(...Object.values(PROTOCOLS).map((protocol) => protocol.maxBytes));

const retrySchema = exactObject(
  {
    attempts: positiveWhole(MAX_ATTEMPTS).exactOptional(),
    elapsedSeconds: positiveNumber(WEEK_SECONDS, ' (a week)').exactOptional(),
    stallSeconds: positiveNumber(HOUR_SECONDS, ' (an hour)').exactOptional(),
  },
  'must be an object',
);

const authSchema = exactObject(
  { style: z.enum(AUTH_STYLES, { error: oneOfMessage(AUTH_STYLES) }) },
  'must be an object like { "style": "bearer" }',
);

const requestSchema = exactObject(
  {
    body: z.custom<JsonObject>(isJsonObject, { error: 'must be a JSON object (the body template)' }),
  },
  'must be an object like { "body": { ... } }',
);

const responseSchema = exactObject(
  { url: dotPath, id: dotPath },
  'must be an object like { "url": "url", "id": "id" }',
);

const endpointSchema = z.string({ error: 'must be a URL' }).superRefine((endpoint, ctx) => {
  const problem = endpointProblem(endpoint);
  if (problem !== undefined) ctx.addIssue(problem);
});

const isProfileName = (value: unknown): value is ProfileName =>
  (PROFILES as readonly unknown[]).includes(value);

/** What the target's profile asks of it (its protocol's `config`), checked beside its other problems. */
function profileChecks(target: unknown, ctx: z.core.$RefinementCtx): void {
  if (!isJsonObject(target) || !isProfileName(target.profile)) return;
  const { profile, maxBytes } = target;
  const facts = PROTOCOLS[profile].config;
  if (facts.needsTemplates && target.request === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['request'],
      message: `the ${profile} profile needs a body template`,
    });
  }
  if (facts.needsTemplates && target.response === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['response'],
      message: `the ${profile} profile needs the dot-paths of url and id`,
    });
  }
  const limit = facts.largestFile;
  if (
    limit !== undefined &&
    typeof maxBytes === 'number' &&
    !brokenAt(ctx.issues, ['maxBytes']) &&
    maxBytes > limit
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['maxBytes'],
      message: `a single PUT cannot exceed ${limit} bytes (${limit / 1024 ** 3} GiB)`,
    });
  }
}

export const targetSchema = exactObject(
  {
    profile: z.enum(PROFILES, { error: oneOfMessage(PROFILES) }),
    /** The URL of the first request (the one that asks for an upload URL). */
    endpoint: endpointSchema,
    auth: authSchema.exactOptional(),
    request: requestSchema.exactOptional(),
    response: responseSchema.exactOptional(),
    maxBytes: positiveWhole(
      MAX_FILE_BYTES,
      ` (${MAX_FILE_BYTES / 1024 ** 4} TiB, the largest file any profile carries)`,
    ).exactOptional(),
    retry: retrySchema.exactOptional(),
  },
  'must be an object',
)
  .superRefine(profileChecks, EVEN_WITH_OTHER_ISSUES)
  .transform((target) => ({
    ...target,
    auth: target.auth ?? { style: PROTOCOLS[target.profile].config.defaultAuth },
  }));

export type TargetConfig = z.output<typeof targetSchema>;
export type RetryConfig = z.output<typeof retrySchema>;
