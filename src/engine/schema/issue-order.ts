import type { z } from 'zod';

/**
 * zod reports an object's issues in the order it meets them: its known keys,
 * then its unknown keys (as one issue), then the checks of the object itself.
 * Ferry lists them in the order of the schema instead, as its hand-written
 * validator did: an object's unknown keys first (a misspelt key explains the
 * "missing" one that follows), then its keys in the order the schema declares
 * them, then what is wrong with the object as a whole; entries of a list or a
 * map in the order of the input. So a cross-field check, which runs last, is
 * still named next to the key it is about.
 */

type Schema = z.core.$ZodType;
type Def = z.core.$ZodTypes['_zod']['def'];

const defOf = (schema: Schema): Def => (schema as z.core.$ZodTypes)._zod.def;

export interface SchemaIssue {
  /** Object keys and list indexes from the top of the input. */
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** The last key of `path` is one the schema does not know. */
  readonly unknownKey: boolean;
}

/** The schema under wrappers that leave a value's keys where they are: optional, default, a transform's input. */
function bare(schema: Schema): Schema {
  const def = defOf(schema);
  if (def.type === 'pipe') return bare(def.in);
  if ('innerType' in def) return bare(def.innerType);
  return schema;
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Where each step of `path` sits among its siblings: -1 for an unknown key. */
function ranks(schema: Schema, input: unknown, path: readonly PropertyKey[]): number[] {
  const result: number[] = [];
  let at: Schema | undefined = schema;
  let value = input;
  for (const key of path) {
    const def: Def | undefined = at === undefined ? undefined : defOf(bare(at));
    const child: unknown =
      isRecord(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[key] : undefined;
    if (def?.type === 'object') {
      result.push(Object.keys(def.shape).indexOf(String(key)));
      at = def.shape[String(key)];
    } else if (def?.type === 'record') {
      result.push(isRecord(value) ? Object.keys(value).indexOf(String(key)) : 0);
      at = def.valueType;
    } else if (def?.type === 'array') {
      result.push(Number(key));
      at = def.element;
    } else {
      result.push(0);
      at = undefined;
    }
    value = child;
  }
  return result;
}

/** Siblings by rank; a key's own issues before those of the object holding it. */
function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return b.length - a.length;
}

/** The issues of one parse in the schema's order, an unknown key each on its own. */
export function orderIssues(
  schema: Schema,
  input: unknown,
  issues: readonly z.core.$ZodIssue[],
): SchemaIssue[] {
  const single = issues.flatMap((issue): SchemaIssue[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: [...issue.path, key], message: issue.message, unknownKey: true }))
      : [{ path: issue.path, message: issue.message, unknownKey: false }],
  );
  // Array.prototype.sort is stable: issues of the same place keep the order zod found them in.
  return single
    .map((issue) => ({ issue, rank: ranks(schema, input, issue.path) }))
    .sort((a, b) => compareRanks(a.rank, b.rank))
    .map(({ issue }) => issue);
}

/** `targets.vendor.endpoint`, `folders[1].rule`; the empty path is `(root)`. */
export function keyPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}
