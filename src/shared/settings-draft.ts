import type { ExpectationSetting } from './expectations.js';
import { DEFAULT_TEMPLATE } from './naming.js';
import { isJsonObject, type JsonObject, type JsonValue } from './json-value.js';

/**
 * What the settings screen sends when the user saves: the parts of the config
 * it edits, whole. The config file keeps everything else it holds (proxy, rate
 * limit, a target's templates and retry, a folder's content options): the
 * draft is merged into the file as it stands, then the merged file is
 * validated by the same validator as at start-up, so the window cannot save
 * anything the agent would refuse to load. Its shape is checked on arrival by
 * src/engine/contract/settings-draft-schema.ts, which is held to these types.
 */
export interface FolderDraft {
  readonly path: string;
  /** The path the settings screen showed for this folder; absent for a folder added there. */
  readonly original?: string;
  readonly target: string;
  readonly rule: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly after: string;
  readonly ignore: readonly string[];
  /** Absent from a window that does not edit expectations: the file's are kept then. */
  readonly expect?: readonly ExpectationSetting[];
}

export interface TargetDraft {
  readonly name: string;
  readonly profile: string;
  readonly endpoint: string;
}

export interface SettingsDraft {
  readonly folders: readonly FolderDraft[];
  readonly targets: readonly TargetDraft[];
  readonly concurrency: number;
  readonly notifications: string;
  readonly startAtLogin: boolean;
}

/** Sets `key` when the value is not the default, or when the file already spelled it out. */
function spelled(
  key: string,
  value: JsonValue,
  isDefault: boolean,
  earlier: JsonObject | undefined,
): Record<string, JsonValue> {
  return isDefault && (earlier === undefined || !(key in earlier)) ? {} : { [key]: value };
}

/** An expectation as JSON, without the keys it leaves out. */
function expectationJson(expectation: ExpectationSetting): JsonObject {
  const kept: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(expectation))
    if (value !== undefined) kept[key] = value as JsonValue;
  return kept;
}

/**
 * The config file's JSON with the draft applied. `resolvePath` turns a folder
 * path as written in the file into the absolute path the settings screen
 * shows (the file's paths are relative to the file): a folder whose path the
 * user left alone keeps it exactly as written, relative or not.
 */
export function applyDraft(
  file: JsonObject,
  draft: SettingsDraft,
  resolvePath: (path: string) => string,
): JsonObject {
  const fileFolders = Array.isArray(file.folders) ? (file.folders as JsonValue[]).filter(isJsonObject) : [];
  const fileTargets = isJsonObject(file.targets) ? file.targets : {};
  const folders = draft.folders.map((folder): JsonObject => {
    const earlier =
      folder.original === undefined
        ? undefined
        : fileFolders.find((f) => typeof f.path === 'string' && resolvePath(f.path) === folder.original);
    const kept =
      earlier !== undefined && typeof earlier.path === 'string' && resolvePath(earlier.path) === folder.path
        ? earlier.path
        : folder.path;
    return {
      ...earlier,
      path: kept,
      target: folder.target,
      ...spelled('rule', folder.rule, folder.rule === DEFAULT_TEMPLATE, earlier),
      ...spelled('fields', folder.fields, Object.keys(folder.fields).length === 0, earlier),
      ...spelled('after', folder.after, folder.after === 'leave', earlier),
      ...spelled('ignore', folder.ignore, folder.ignore.length === 0, earlier),
      ...(folder.expect === undefined
        ? {}
        : spelled('expect', folder.expect.map(expectationJson), folder.expect.length === 0, earlier)),
    };
  });
  const targets: Record<string, JsonValue> = {};
  for (const target of draft.targets) {
    const earlier = fileTargets[target.name];
    targets[target.name] = {
      ...(isJsonObject(earlier) ? earlier : {}),
      profile: target.profile,
      endpoint: target.endpoint,
    };
  }
  return {
    ...file,
    targets,
    folders,
    concurrency: draft.concurrency,
    notifications: draft.notifications,
    startAtLogin: draft.startAtLogin,
  };
}
