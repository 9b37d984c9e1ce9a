import { dirname, resolve } from 'node:path';
import type { FerryConfig } from '../engine/config/config-schema.js';
import { withFolderFields } from '../engine/config/folder-fields.js';
import { validateConfig } from '../engine/config/validate-config.js';
import type { SettingsStore } from './settings-store.js';

/** The config with its folder paths made absolute: they are relative to the file. */
export function resolveFolders(config: FerryConfig, path: string): FerryConfig {
  const base = dirname(resolve(path));
  return {
    ...config,
    folders: config.folders.map((folder) => ({ ...folder, path: resolve(base, folder.path) })),
  };
}

/**
 * Reads and validates the config file a store holds. Folder paths in it are
 * relative to the file, not to wherever `ferry` was started, so the same file
 * works for the app, a systemd unit and a terminal. Throws ConfigError (every
 * problem named by its key) or the read error; the file is only read. `fields` join every
 * folder's own (see withFolderFields).
 */
export function readConfig(store: SettingsStore, fields: Readonly<Record<string, string>> = {}): FerryConfig {
  return resolveFolders(validateConfig(withFolderFields(store.store, fields)), store.path);
}
