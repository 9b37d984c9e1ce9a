import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type Conf from 'conf';
import { parseConfigJson } from '../engine/config/validate-config.js';
import { settingsStoreOptions, type SettingsStore } from '../node/settings-store.js';
import type { JsonObject } from '../shared/json-value.js';

/**
 * conf, loaded on the first write. It brings ajv: some 8 MiB that `ferry upload`, `ferry check`
 * and a headless `ferry watch` that never saves settings would carry for nothing. A write is
 * synchronous (a property set), hence require(): Node 20.19+ loads an ES module that way.
 */
function loadConf(): typeof Conf {
  const required = createRequire(import.meta.url)('conf') as { default: typeof Conf };
  return required.default;
}

/**
 * The config file as the CLI and its agent read and write it (see settings-store.ts). Reading is
 * what conf does with these options, without it: the file afresh on every get, through the same
 * `parseConfigJson`, and a file not there yet as an empty store. Writing goes through conf.
 */
class ConfigFileStore implements SettingsStore {
  readonly path: string;
  private writer: Conf<JsonObject> | undefined;

  constructor(path: string) {
    this.path = resolve(path);
  }

  get store(): JsonObject {
    if (this.writer !== undefined) return this.writer.store;
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    return parseConfigJson(text);
  }

  set store(value: JsonObject) {
    this.writer ??= new (loadConf())(settingsStoreOptions(this.path));
    this.writer.store = value;
  }
}

export function openConfigStore(path: string): SettingsStore {
  return new ConfigFileStore(path);
}
