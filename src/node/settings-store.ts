import { basename, dirname, resolve } from 'node:path';
import { parseConfigJson } from '../engine/config/validate-config.js';
import type { JsonObject } from '../shared/json-value.js';

/**
 * The settings file as a store: conf for `ferry` (the CLI and its agent),
 * electron-store in the desktop app (it extends conf, and loads Electron, so
 * only src/main may import it). The composition roots construct one; the
 * rest of Ferry reads and writes the file through this much of it.
 */
export interface SettingsStore {
  /** The file. */
  readonly path: string;
  /** The file's JSON, read afresh on every get; a set writes the whole file atomically. */
  store: JsonObject;
}

/** The options both stores are built with (electron-store calls `configName` `name`). */
export interface SettingsStoreOptions {
  readonly cwd: string;
  readonly configName: string;
  readonly fileExtension: string;
  readonly clearInvalidConfig: false;
  readonly accessPropertiesByDotNotation: false;
  readonly serialize: (value: JsonObject) => string;
  readonly deserialize: (text: string) => JsonObject;
}

/**
 * How conf (16) is set up so that it never rewrites a file the user edited,
 * as its source shows:
 * - `cwd` and the whole file name as `configName`, with an empty
 *   `fileExtension` (conf then appends none), address any file:
 *   `--config ./ferry.json`, `./ferry`, the shared `config.json`.
 * - `clearInvalidConfig: false`: with it, a file conf cannot read is replaced
 *   by an empty store. The deserializer throws Ferry's ConfigError
 *   (`(file): not valid JSON: …`), never the SyntaxError conf clears for.
 * - No `schema` (zod checks the file, not ajv), no `defaults`, no
 *   `migrations`: conf writes at construction only to add defaults or its
 *   `__internal__` migration record (see config-version.ts), so without them
 *   reading never writes.
 * - `serialize` keeps the file's layout: 2-space JSON and a final newline.
 *   conf writes through `atomically` (a temporary file, synced, renamed
 *   over), which keeps the file's mode and owner.
 * - `accessPropertiesByDotNotation: false`: Ferry reads and writes the store
 *   whole, and a target named `a.b` is a key, not a path.
 */
export function settingsStoreOptions(path: string): SettingsStoreOptions {
  const absolute = resolve(path);
  return {
    cwd: dirname(absolute),
    configName: basename(absolute),
    fileExtension: '',
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    serialize: (value) => `${JSON.stringify(value, null, 2)}\n`,
    deserialize: parseConfigJson,
  };
}
