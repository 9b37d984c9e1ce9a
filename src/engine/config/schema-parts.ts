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

export function positiveWhole(message = 'must be a positive whole number') {
  return z.number({ error: message }).refine((n) => Number.isInteger(n) && n > 0, { error: message });
}

export function positiveNumber() {
  const message = 'must be a positive number';
  return z.number({ error: message }).refine((n) => n > 0, { error: message });
}

export const flag = () => z.boolean({ error: 'must be true or false' });
