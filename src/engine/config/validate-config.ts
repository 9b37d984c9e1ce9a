import { ConfigError, type ConfigIssue } from '../../shared/config.js';
import { isJsonObject, type JsonObject } from '../../shared/json-value.js';
import { excerpt } from '../../shared/vendor-text.js';
import { keyPath, orderIssues } from '../schema/issue-order.js';
import { configSchema, type FerryConfig } from './config-schema.js';
import { migrateConfig } from './config-version.js';

/**
 * Validates a parsed config of any version this Ferry reads, migrated in
 * memory to the current one; throws a ConfigError listing every problem.
 */
export function validateConfig(value: unknown): FerryConfig {
  if (!isJsonObject(value)) throw new ConfigError([{ path: '(root)', problem: 'must be a JSON object' }]);
  const current = migrateConfig(value);
  const result = configSchema.safeParse(current);
  if (result.success) return result.data;
  const issues = orderIssues(configSchema, current, result.error.issues).map((issue): ConfigIssue => ({
    // An unknown key is named under the object that holds it: `(root).proxi`, `targets.v.retries`.
    path: issue.unknownKey
      ? `${keyPath(issue.path.slice(0, -1))}.${String(issue.path.at(-1))}`
      : keyPath(issue.path),
    problem: issue.message,
  }));
  throw new ConfigError(issues);
}

/** The JSON object of a config file's text; anything else is a ConfigError. */
export function parseConfigJson(text: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // The parser quotes the text it choked on, which may hold anything.
    throw new ConfigError([
      { path: '(file)', problem: `not valid JSON: ${excerpt((error as Error).message, 200)}` },
    ]);
  }
  if (!isJsonObject(value)) throw new ConfigError([{ path: '(root)', problem: 'must be a JSON object' }]);
  return value;
}

/** Parses and validates the text of a config file. */
export function parseConfig(text: string): FerryConfig {
  return validateConfig(parseConfigJson(text));
}
