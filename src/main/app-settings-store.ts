import ElectronStore from 'electron-store';
import { settingsStoreOptions, type SettingsStore } from '../node/settings-store.js';
import type { JsonObject } from '../shared/json-value.js';

/**
 * The settings file through electron-store, as the desktop app reads and
 * writes it: the same file and the same conf options as `ferry` (see
 * settings-store.ts). electron-store adds Electron's app version as conf's
 * `projectVersion`, which does nothing without `migrations`. It also answers
 * one channel of its own on ipcMain (`electron-store-get-data`: the app's data
 * folder and version, for stores opened in a renderer): our sandboxed renderer
 * reaches IPC only through the preload, which does not expose it.
 */
export function openAppSettingsStore(path: string): SettingsStore {
  const { configName, ...options } = settingsStoreOptions(path);
  return new ElectronStore<JsonObject>({ ...options, name: configName });
}
