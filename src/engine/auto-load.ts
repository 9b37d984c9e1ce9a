import picomatch from 'picomatch';
import type { ProfileName } from '../shared/config.js';
import type { FerryConfig } from './config/config-schema.js';
import type { FolderConfig } from './config/folder-schema.js';
import { PROTOCOLS } from './protocols/registry.js';

/**
 * Whether a folder sends what its vendor needs to load its files by itself. Lexer loads NDJSON
 * and JSON automatically only when the upload request carries the dataset id and the record
 * type (seed 002); without them the file arrives and waits for a person, and nothing says so.
 */

export type AutoLoadFolder = Pick<FolderConfig, 'fields'> &
  Partial<Pick<FolderConfig, 'ignore' | 'convert' | 'loading'>>;

/** What a folder lacks for automatic loading, and of which of its files. */
export interface AutoLoadGap {
  readonly profile: ProfileName;
  /** The fields the vendor needs that the folder does not give, in the vendor's order. */
  readonly missing: readonly string[];
  readonly needed: readonly string[];
  readonly extensions: readonly string[];
}

const given = (fields: Readonly<Record<string, string>>, name: string) =>
  Object.hasOwn(fields, name) && fields[name]?.trim() !== '';

/** Whether any file of these types can come out of the folder: its ignore globs may rule them all out. */
function deliversAny(folder: AutoLoadFolder, extensions: readonly string[]): boolean {
  // A folder converting CSV sends NDJSON, whatever arrives in it.
  if (folder.convert === 'csv-to-ndjson') return true;
  const ignore = folder.ignore ?? [];
  if (ignore.length === 0) return true;
  // The watcher's own matching: globs on file names, dot files included.
  const ignored = picomatch([...ignore], { dot: true });
  return extensions.some((ext) => !ignored(`x.${ext}`) || !ignored(`x.${ext}.gz`));
}

/** What the folder lacks for the target's vendor to load its files itself; undefined when nothing. */
export function autoLoadGap(folder: AutoLoadFolder, profile: ProfileName): AutoLoadGap | undefined {
  const needs = PROTOCOLS[profile].config.autoLoad;
  if (needs === undefined || folder.loading === 'manual') return undefined;
  const missing = needs.fields.filter((name) => !given(folder.fields, name));
  if (missing.length === 0 || !deliversAny(folder, needs.extensions)) return undefined;
  return { profile, missing, needed: needs.fields, extensions: needs.extensions };
}

/** Whether this file is of a type the gap is about (`orders-….ndjson.gz` is). */
export function concernsFile(gap: AutoLoadGap, name: string): boolean {
  return gap.extensions.some((ext) => name.endsWith(`.${ext}`) || name.endsWith(`.${ext}.gz`));
}

const list = (names: readonly string[]) =>
  names.length === 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;

/** The warning: what the vendor will not do, and why. */
export function autoLoadWarning(gap: AutoLoadGap): string {
  const types = gap.extensions.map((ext) => `.${ext}`).join(' and ');
  return `${gap.profile} loads ${types} files by itself only when the upload request carries ${list(gap.needed)}; this folder's fields lack ${list(gap.missing)}, so such files would wait for someone to load them`;
}

/** The fix, as the lines to put in the folder's config (the fields it has, and the ones it lacks). */
export function autoLoadFix(gap: AutoLoadGap, fields: Readonly<Record<string, string>>): string {
  const filled: Record<string, string> = { ...fields };
  for (const name of gap.missing) filled[name] = `<${name.replaceAll('_', ' ')}>`;
  const entries = Object.entries(filled).map(
    ([name, value]) => `${JSON.stringify(name)}: ${JSON.stringify(value)}`,
  );
  return `add to the folder "fields": { ${entries.join(', ')} } (or "loading": "manual" if its files are loaded by hand)`;
}

/** The window's notice on the folder: the same warning, with the fix in the form's own words. */
export function autoLoadNotice(gap: AutoLoadGap): string {
  return `${autoLoadWarning(gap)}. Add ${list(gap.missing)} under Fields, or put "loading": "manual" in the folder's config if its files are loaded by hand.`;
}

export interface FolderWarning {
  /** The folder as the config names it. */
  readonly folder: string;
  readonly message: string;
}

/** What the agent says of its folders when it starts: each one its vendor cannot load by itself. */
export function folderWarnings(config: FerryConfig): FolderWarning[] {
  return config.folders.flatMap((folder) => {
    const target = config.targets[folder.target];
    const gap = target === undefined ? undefined : autoLoadGap(folder, target.profile);
    return gap === undefined
      ? []
      : [{ folder: folder.path, message: `${autoLoadWarning(gap)}; ${autoLoadFix(gap, folder.fields)}` }];
  });
}
