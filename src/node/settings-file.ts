import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { FerryConfig } from '../engine/config/config-schema.js';
import { CONFIG_VERSION, migrateConfig } from '../engine/config/config-version.js';
import { validateConfig } from '../engine/config/validate-config.js';
import { ConfigError, type ConfigIssue } from '../shared/config.js';
import type { JsonObject } from '../shared/json-value.js';
import { applyDraft, type SettingsDraft } from '../shared/settings-draft.js';
import { resolveFolders } from './config-file.js';
import { syncDirectory } from './durable-file.js';
import type { SettingsStore } from './settings-store.js';

export type SavedSettings =
  | { readonly ok: true; readonly config: FerryConfig }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

/** Folders the draft adds or moves must exist: a typo would otherwise only show as "missing" later. */
async function missingFolders(config: FerryConfig, known: ReadonlySet<string>): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  for (const [index, folder] of config.folders.entries()) {
    if (known.has(folder.path)) continue;
    const isFolder = await stat(folder.path).then(
      (info) => info.isDirectory(),
      () => false,
    );
    if (!isFolder) issues.push({ path: `folders[${index}].path`, problem: `${folder.path} is not a folder` });
  }
  return issues;
}

/**
 * Saves the settings screen's draft into the config file: merged into what the
 * file holds, validated by the config validator, then written atomically by
 * the store (a crash leaves the old file or the new one, never half of each).
 * The file as it stood is untouched when anything is wrong, a file that is
 * not valid JSON included; the answer lists every problem.
 */
export async function saveSettings(store: SettingsStore, draft: SettingsDraft): Promise<SavedSettings> {
  let merged: JsonObject;
  let config: FerryConfig;
  const base = dirname(store.path);
  try {
    // A folder already watched may be missing for now (a network share): that is not the draft's fault.
    const known = new Set(draft.folders.flatMap((f) => (f.original === undefined ? [] : [f.original])));
    // A file of an older format is saved in the current one; one from a newer Ferry is refused, not downgraded.
    merged = {
      version: CONFIG_VERSION,
      ...applyDraft(migrateConfig(store.store), draft, (p) => resolve(base, p)),
    };
    config = resolveFolders(validateConfig(merged), store.path);
    const issues = await missingFolders(config, known);
    if (issues.length > 0) return { ok: false, issues };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, issues: error.issues };
    throw error;
  }
  store.store = merged;
  // The store syncs the file before renaming it over; the rename itself survives a power loss once the folder is synced.
  await syncDirectory(base);
  return { ok: true, config };
}
