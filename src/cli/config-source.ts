import { accessSync, constants, existsSync } from 'node:fs';
import { readConfig } from '../node/config-file.js';
import type { FerryConfig } from '../engine/config/config-schema.js';
import { validateConfig } from '../engine/config/validate-config.js';
import { ConfigError, PROFILES } from '../shared/config.js';
import { openConfigStore } from './config-store.js';
import { QUICK_TARGET, sharedConfigPath } from './config-names.js';
import { UsageError } from './exit-codes.js';

function invalid(where: string, error: unknown, hint = ''): never {
  if (error instanceof ConfigError) throw new UsageError(`${where} is not valid:\n${error.message}${hint}`);
  throw error;
}

/** Without a config file, the only way to fill a body template's variable is the command line. */
function fieldHint(error: unknown): string {
  const unfilled =
    error instanceof ConfigError
      ? error.issues.flatMap((issue) => /uses \{(\w+)\} in its request body/.exec(issue.problem)?.[1] ?? [])
      : [];
  return unfilled.length === 0
    ? ''
    : `\ngive ${unfilled.map((name) => `--field ${name}=<value>`).join(' ')} (or use --config <file> with the folder's fields)`;
}

/** Folder fields given on the command line (`--field key=value`). */
export type FieldFlags = Readonly<Record<string, string>>;

/**
 * Reads and validates a config file, with `fields` added to each of its folders; every problem is
 * a usage error naming its key.
 */
export function loadConfigFile(path: string, fields: FieldFlags = {}): FerryConfig {
  try {
    // conf reads a missing file as an empty store and makes its folder: a file named here must exist.
    accessSync(path, constants.R_OK);
    return readConfig(openConfigStore(path), fields);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) {
      throw new UsageError(`cannot read the config ${path}: ${(error as Error).message}`);
    }
    return invalid(`the config ${path}`, error);
  }
}

/**
 * A config for one target given on the command line, feeding the given
 * folders with the given fields; validated like a file so the same rules
 * (https, known profile, a body template the fields can fill) apply.
 */
export function quickConfig(
  endpoint: string,
  profile: string,
  folders: readonly string[],
  fields: FieldFlags = {},
): FerryConfig {
  if (!(PROFILES as readonly string[]).includes(profile)) {
    throw new UsageError(`--profile must be one of ${PROFILES.join(', ')}, got '${profile}'`);
  }
  try {
    return validateConfig({
      targets: { [QUICK_TARGET]: { profile, endpoint } },
      folders: folders.map((path) => ({ path, target: QUICK_TARGET, fields })),
    });
  } catch (error) {
    return invalid(
      Object.keys(fields).length === 0 ? '--endpoint/--profile' : '--endpoint/--profile/--field',
      error,
      fieldHint(error),
    );
  }
}

export interface ConfigFlags {
  readonly config?: string;
  readonly endpoint?: string;
  readonly profile?: string;
}

/**
 * `--config F` or `--endpoint URL --profile P` (exactly one), else the app's shared config file;
 * `--field` values join the fields of every folder.
 */
export function configFromFlags(
  flags: ConfigFlags,
  folders: readonly string[],
  fields: FieldFlags = {},
): FerryConfig {
  const quick = flags.endpoint !== undefined || flags.profile !== undefined;
  if (flags.config !== undefined && quick) {
    throw new UsageError('give either --config or --endpoint with --profile, not both');
  }
  if (flags.config !== undefined) return loadConfigFile(flags.config, fields);
  if (!quick && existsSync(sharedConfigPath())) return loadConfigFile(sharedConfigPath(), fields);
  if (flags.endpoint === undefined || flags.profile === undefined) {
    throw new UsageError(
      `give --config <file>, or --endpoint <url> with --profile <name> (there is no ${sharedConfigPath()} to use instead)`,
    );
  }
  return quickConfig(flags.endpoint, flags.profile, folders, fields);
}
