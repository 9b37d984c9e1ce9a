import { z } from 'zod';

/**
 * A list or a map judged as a whole: one message at the key that holds it
 * (`folders[0].ignore: must be a list of non-empty strings`), not one per
 * entry under an index the user never wrote.
 */
export function wholeList<T>(entry: (value: unknown) => value is T, message: string) {
  return z.custom<T[]>((value) => Array.isArray(value) && value.every(entry), { error: message });
}

export function wholeMap<T>(entry: (value: unknown) => value is T, message: string) {
  return z.custom<Record<string, T>>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.values(value).every(entry),
    { error: message },
  );
}

export const isString = (value: unknown): value is string => typeof value === 'string';
