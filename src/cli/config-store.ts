import Conf from 'conf';
import { settingsStoreOptions, type SettingsStore } from '../node/settings-store.js';
import type { JsonObject } from '../shared/json-value.js';

/** The config file through conf, as the CLI and its agent read and write it (see settings-store.ts). */
export function openConfigStore(path: string): SettingsStore {
  return new Conf<JsonObject>(settingsStoreOptions(path));
}
