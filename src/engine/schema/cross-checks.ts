import type { z } from 'zod';

/**
 * A check across keys runs even when some keys are wrong, so that every
 * problem is reported at once (zod skips an object's checks after an issue
 * inside it by default). It then looks only at the keys that parsed.
 */
export const EVEN_WITH_OTHER_ISSUES = { when: () => true } as const;

/**
 * Whether the parse found something wrong at `path` or below it. An unknown
 * key beside a value does not make that value wrong.
 */
export function brokenAt(issues: readonly z.core.$ZodRawIssue[], path: readonly PropertyKey[]): boolean {
  return issues.some(
    (issue) => issue.code !== 'unrecognized_keys' && path.every((key, index) => issue.path?.[index] === key),
  );
}
