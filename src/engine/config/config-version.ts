import { ConfigError } from '../../shared/config.js';
import type { JsonObject } from '../../shared/json-value.js';

/**
 * The config file's `version`: the format it is written in. Files written
 * before the key existed have none and are version 1, so every file an
 * earlier Ferry wrote loads unchanged. A file is migrated in memory when it is
 * read; only a save from the window writes the current version back, so a
 * hand-edited file is never rewritten just for being read.
 *
 * Not conf's own `migrations` (with `projectVersion`): conf records the
 * version it migrated to under an `__internal__` key it adds to the file, and
 * writes the file when a store is opened to do so, in its own layout (checked
 * with conf 16). That would rewrite a hand-edited file the first time it is
 * read, with a key the user never wrote.
 */
export const CONFIG_VERSION = 1;

/** One step of the format: a file's JSON in version n, returned in version n + 1. */
export type ConfigMigration = (config: JsonObject) => JsonObject;

export interface ConfigMigrations {
  /** The version this Ferry reads and writes. */
  readonly current: number;
  /** `steps[n]` turns version n into n + 1: one for each version below `current`. */
  readonly steps: Readonly<Record<number, ConfigMigration>>;
}

export const CONFIG_MIGRATIONS: ConfigMigrations = { current: CONFIG_VERSION, steps: {} };

/** The file's JSON in the current format; a version this Ferry cannot read is a ConfigError naming it. */
export function migrateConfig(config: JsonObject, migrations = CONFIG_MIGRATIONS): JsonObject {
  const { current, steps } = migrations;
  const written = config.version === undefined ? 1 : config.version;
  if (typeof written !== 'number' || !Number.isInteger(written) || written < 1) {
    throw new ConfigError([
      { path: 'version', problem: `must be a whole number (this Ferry reads versions up to ${current})` },
    ]);
  }
  if (written > current) {
    throw new ConfigError([
      {
        path: 'version',
        problem: `written by a newer Ferry (version ${written}); this Ferry reads up to version ${current}`,
      },
    ]);
  }
  let migrated = config;
  for (let version = written; version < current; version++) {
    const step = steps[version];
    if (step === undefined) throw new Error(`no migration of the config from version ${version}`);
    migrated = { ...step(migrated), version: version + 1 };
  }
  return migrated;
}
