import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { FerryConfig } from '../engine/config/config-schema.js';
import { validateConfig } from '../engine/config/validate-config.js';
import { ConfigError, type ConfigIssue } from '../shared/config.js';
import { isJsonObject, type JsonObject } from '../shared/json-value.js';
import { applyDraft, type SettingsDraft } from '../shared/settings-draft.js';
import { resolveFolders } from './config-file.js';
import { replaceFileDurably } from './durable-file.js';

export type SavedSettings =
  | { readonly ok: true; readonly config: FerryConfig }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

/** The file's JSON as it stands; none yet (first run) is an empty config. */
async function readJson(path: string): Promise<JsonObject> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([{ path: '(file)', problem: `not valid JSON: ${(error as Error).message}` }]);
  }
  if (!isJsonObject(value)) throw new ConfigError([{ path: '(root)', problem: 'must be a JSON object' }]);
  return value;
}

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
 * file holds, validated by the config validator, then written atomically (a
 * crash leaves the old file or the new one, never half of each). The file as
 * it stood is untouched when anything is wrong; the answer lists every problem.
 */
export async function saveSettings(path: string, draft: SettingsDraft): Promise<SavedSettings> {
  let merged: JsonObject;
  let config: FerryConfig;
  const base = dirname(resolve(path));
  try {
    const file = await readJson(path);
    // A folder already watched may be missing for now (a network share): that is not the draft's fault.
    const known = new Set(draft.folders.flatMap((f) => (f.original === undefined ? [] : [f.original])));
    merged = applyDraft(file, draft, (p) => resolve(base, p));
    config = resolveFolders(validateConfig(merged), path);
    const issues = await missingFolders(config, known);
    if (issues.length > 0) return { ok: false, issues };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, issues: error.issues };
    throw error;
  }
  await mkdir(base, { recursive: true });
  await replaceFileDurably(path, [`${JSON.stringify(merged, null, 2)}\n`]);
  return { ok: true, config };
}
