import { isJsonObject } from './json-value.js';

/**
 * What a watched folder may add to its target, rule, fields and after-delivery
 * action: which files to skip, how to watch, and what to do to a file's
 * contents before it is sent.
 */
export const COLUMN_TYPES = ['string', 'number', 'boolean', 'date'] as const;
export type ColumnTypeName = (typeof COLUMN_TYPES)[number];

export interface FolderOptions {
  /** Globs on file names skipped on top of the convention's ignored files. */
  readonly ignore: readonly string[];
  /** Poll instead of OS events: network shares. */
  readonly poll: boolean;
  /** The pre-flight content checks (on by default for .csv, .json, .ndjson, also inside .gz). */
  readonly checks: boolean;
  /** Keys every NDJSON record must have. */
  readonly requiredKeys: readonly string[];
  /** Turn CSV into NDJSON before sending, with per-column types. */
  readonly convert?: 'csv-to-ndjson';
  readonly types: Readonly<Record<string, ColumnTypeName>>;
  /** Send gzip-compressed, as <name>.gz. */
  readonly compress?: 'gzip';
}

export const FOLDER_OPTION_KEYS = [
  'ignore',
  'poll',
  'checks',
  'requiredKeys',
  'convert',
  'types',
  'compress',
] as const;

interface Issue {
  readonly path: string;
  readonly problem: string;
}

function stringList(value: unknown, path: string, issues: Issue[]): readonly string[] {
  if (value === undefined) return [];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' && v !== '')) return value as string[];
  issues.push({ path, problem: 'must be a list of non-empty strings' });
  return [];
}

function flag(value: unknown, fallback: boolean, path: string, issues: Issue[]): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  issues.push({ path, problem: 'must be true or false' });
  return fallback;
}

function columnTypes(value: unknown, path: string, issues: Issue[]): Record<string, ColumnTypeName> {
  if (value === undefined) return {};
  if (!isJsonObject(value)) {
    issues.push({ path, problem: 'must map column names to string, number, boolean or date' });
    return {};
  }
  const types: Record<string, ColumnTypeName> = {};
  for (const [column, type] of Object.entries(value)) {
    if (typeof type === 'string' && (COLUMN_TYPES as readonly string[]).includes(type))
      types[column] = type as ColumnTypeName;
    else issues.push({ path: `${path}.${column}`, problem: `must be one of ${COLUMN_TYPES.join(', ')}` });
  }
  return types;
}

export function parseFolderOptions(
  value: Readonly<Record<string, unknown>>,
  path: string,
  issues: Issue[],
): FolderOptions {
  const options: FolderOptions = {
    ignore: stringList(value.ignore, `${path}.ignore`, issues),
    poll: flag(value.poll, false, `${path}.poll`, issues),
    checks: flag(value.checks, true, `${path}.checks`, issues),
    requiredKeys: stringList(value.requiredKeys, `${path}.requiredKeys`, issues),
    types: columnTypes(value.types, `${path}.types`, issues),
  };
  let convert: FolderOptions['convert'];
  if (value.convert !== undefined) {
    if (value.convert === 'csv-to-ndjson') convert = 'csv-to-ndjson';
    else issues.push({ path: `${path}.convert`, problem: "must be 'csv-to-ndjson'" });
  }
  if (value.types !== undefined && convert === undefined) {
    issues.push({ path: `${path}.types`, problem: 'only applies with "convert": "csv-to-ndjson"' });
  }
  let compress: FolderOptions['compress'];
  if (value.compress !== undefined) {
    if (value.compress === 'gzip') compress = 'gzip';
    else issues.push({ path: `${path}.compress`, problem: "must be 'gzip'" });
  }
  return {
    ...options,
    ...(convert === undefined ? {} : { convert }),
    ...(compress === undefined ? {} : { compress }),
  };
}
