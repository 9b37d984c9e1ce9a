import { DEFAULT_TEMPLATE } from './naming.js';
import { isJsonObject, type JsonObject, type JsonValue } from './json-value.js';

/**
 * What the settings screen sends when the user saves: the parts of the config
 * it edits, whole. The config file keeps everything else it holds (proxy, rate
 * limit, a target's templates and retry, a folder's content options): the
 * draft is merged into the file as it stands, then the merged file is
 * validated by the same validator as at start-up, so the window cannot save
 * anything the agent would refuse to load.
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

type Shape = 'string' | 'number' | 'boolean' | 'strings' | 'string-map';

const FOLDER_SHAPE: Readonly<Record<string, Shape>> = {
  path: 'string',
  target: 'string',
  rule: 'string',
  fields: 'string-map',
  after: 'string',
  ignore: 'strings',
};
const TARGET_SHAPE: Readonly<Record<string, Shape>> = {
  name: 'string',
  profile: 'string',
  endpoint: 'string',
};
const DRAFT_SHAPE: Readonly<Record<string, Shape>> = {
  concurrency: 'number',
  notifications: 'string',
  startAtLogin: 'boolean',
};

function fits(value: unknown, shape: Shape): boolean {
  switch (shape) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'strings':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'string-map':
      return isJsonObject(value) && Object.values(value).every((v) => typeof v === 'string');
  }
}

const SHAPE_NAMES: Readonly<Record<Shape, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  strings: 'a list of strings',
  'string-map': 'an object of strings',
};

function objectProblem(
  value: unknown,
  shape: Readonly<Record<string, Shape>>,
  path: string,
  optional: readonly string[] = [],
): string | undefined {
  if (!isJsonObject(value)) return `'${path}' must be an object`;
  for (const key of Object.keys(value)) {
    if (!(key in shape) && !optional.includes(key)) return `unknown argument '${path}.${key}'`;
  }
  for (const [key, kind] of Object.entries(shape)) {
    if (!fits(value[key], kind)) return `'${path}.${key}' must be ${SHAPE_NAMES[kind]}`;
  }
  return undefined;
}

/**
 * Whether untrusted arguments have the draft's shape: the types only. What the
 * values mean (a known profile, an https endpoint, a rule that parses) is the
 * config validator's to say, with the key path of the config file.
 */
export function draftProblem(value: Readonly<Record<string, unknown>>): string | undefined {
  for (const key of Object.keys(value)) {
    if (!(key in DRAFT_SHAPE) && key !== 'folders' && key !== 'targets') return `unknown argument '${key}'`;
  }
  for (const [key, kind] of Object.entries(DRAFT_SHAPE)) {
    if (!fits(value[key], kind)) return `'${key}' must be ${SHAPE_NAMES[kind]}`;
  }
  if (!Array.isArray(value.folders)) return "'folders' must be a list";
  if (!Array.isArray(value.targets)) return "'targets' must be a list";
  for (const [index, folder] of (value.folders as unknown[]).entries()) {
    const problem = objectProblem(folder, FOLDER_SHAPE, `folders[${index}]`, ['original']);
    if (problem !== undefined) return problem;
    const original = (folder as Record<string, unknown>).original;
    if (original !== undefined && typeof original !== 'string')
      return `'folders[${index}].original' must be a string`;
  }
  const names = new Set<string>();
  for (const [index, target] of (value.targets as unknown[]).entries()) {
    const problem = objectProblem(target, TARGET_SHAPE, `targets[${index}]`);
    if (problem !== undefined) return problem;
    const name = (target as TargetDraft).name;
    if (names.has(name)) return `two targets are named '${name}'`;
    names.add(name);
  }
  return undefined;
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
