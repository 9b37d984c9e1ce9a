import { z } from 'zod';

/**
 * The building blocks of the config schema, each with the one message the
 * user reads whatever way the value is wrong (a missing key reads like a
 * wrong one: `must be a URL`).
 */

/** `must be one of 'leave', 'move'`. */
export function oneOfMessage(names: readonly string[]): string {
  return `must be one of ${names.map((name) => `'${name}'`).join(', ')}`;
}

/** An object of exactly these keys; an unknown key is named with the keys it could have been. */
export function exactObject<S extends z.core.$ZodLooseShape>(shape: S, notAnObject: string) {
  const unknown = `unknown key (expected one of: ${Object.keys(shape).join(', ')})`;
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknown : notAnObject),
  });
}

/**
 * A whole number from 1 to `max`, `why` saying what the bound is (` (an hour)`). Every number
 * of the config has an upper bound: past about 24.8 days Node runs a timer after 1 ms, and a
 * budget of 1e308 is no budget.
 */
export function positiveWhole(max: number, why = '') {
  const message = 'must be a positive whole number';
  return z.number({ error: message }).superRefine((n, ctx) => {
    if (!Number.isInteger(n) || n <= 0) ctx.addIssue(message);
    else if (n > max) ctx.addIssue(`must be at most ${max}${why}`);
  });
}

/** A number above 0 and up to `max` (see positiveWhole). */
export function positiveNumber(max: number, why = '') {
  const message = 'must be a positive number';
  return z.number({ error: message }).superRefine((n, ctx) => {
    if (!(n > 0)) ctx.addIssue(message);
    else if (n > max) ctx.addIssue(`must be at most ${max}${why}`);
  });
}

export const flag = () => z.boolean({ error: 'must be true or false' });
