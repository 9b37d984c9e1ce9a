import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { FerryConfig } from '../engine/config/config-schema.js';
import { parseConfig } from '../engine/config/validate-config.js';

/** The config with its folder paths made absolute: they are relative to the file. */
export function resolveFolders(config: FerryConfig, path: string): FerryConfig {
  const base = dirname(resolve(path));
  return {
    ...config,
    folders: config.folders.map((folder) => ({ ...folder, path: resolve(base, folder.path) })),
  };
}

/**
 * Reads and validates a config file. Folder paths in it are relative to the
 * file, not to wherever `ferry` was started, so the same file works for the
 * app, a systemd unit and a terminal. Throws ConfigError (every problem named
 * by its key) or the read error.
 */
export async function readConfigFile(path: string): Promise<FerryConfig> {
  return resolveFolders(parseConfig(await readFile(path, 'utf8')), path);
}
