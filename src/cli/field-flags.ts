import { UsageError } from './exit-codes.js';

/** The names a folder's fields may have (the config's rule): they become template variables. */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Commander's collector for a repeatable `--field key=value`. */
export function collectField(value: string, earlier: readonly string[]): string[] {
  return [...earlier, value];
}

/**
 * `--field key=value …` as folder fields. The value may hold '=' (only the first one splits);
 * a key given twice keeps the last value, as a later flag usually overrides an earlier one.
 */
export function fieldFlags(values: readonly string[] = []): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const text of values) {
    const at = text.indexOf('=');
    const key = at < 0 ? text : text.slice(0, at);
    if (at < 0 || !FIELD_NAME.test(key))
      throw new UsageError(
        `--field takes key=value, the key a letter followed by letters, digits or _ (e.g. --field datasetType=transactions), got '${text}'`,
      );
    fields[key] = text.slice(at + 1);
  }
  return fields;
}
