import { z } from 'zod';
import { AFTER_DELIVERY, FOLDER_LOADING } from '../../shared/config.js';
import { isJsonObject } from '../../shared/json-value.js';
import { DEFAULT_TEMPLATE, parseRule, RuleError } from '../../shared/naming.js';
import { fields as ruleFields } from '../../shared/naming-rule.js';
import type { ColumnType } from '../content/column-types.js';
import { EVEN_WITH_OTHER_ISSUES } from '../schema/cross-checks.js';
import { wholeList } from '../schema/whole-values.js';
import { expectationsSchema } from './expectation-schema.js';
import { exactObject, flag, oneOfMessage } from './schema-parts.js';

/** A watched folder: the target it feeds, its naming rule and fields, and what to do to its files. */

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const COLUMN_TYPES = ['string', 'number', 'boolean', 'date'] as const satisfies readonly ColumnType[];

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';
const nonEmptyStrings = () => wholeList(isNonEmptyString, 'must be a list of non-empty strings');

const ruleSchema = z.string({ error: 'must be a naming template' }).superRefine((rule, ctx) => {
  try {
    parseRule(rule);
  } catch (error) {
    if (!(error instanceof RuleError)) throw error;
    ctx.addIssue(error.message);
  }
});

/** Template variables, sent as they are named by `lexer` and `form`. */
const fieldsSchema = z.record(z.string().regex(FIELD_NAME), z.string({ error: 'must be a string' }), {
  error: (issue) =>
    issue.code === 'invalid_key'
      ? 'a field name is a letter followed by letters, digits or _'
      : 'must be an object of strings',
});

/** What a folder may add to its target, rule and fields: which files to skip, how to watch, how to convert. */
const folderOptionsShape = {
  /** Globs on file names skipped on top of the convention's ignored files. */
  ignore: nonEmptyStrings().default([]),
  /** Poll instead of OS events: network shares. */
  poll: flag().default(false),
  /** The pre-flight content checks (on by default for .csv, .json, .ndjson, also inside .gz). */
  checks: flag().default(true),
  /** Keys every NDJSON record must have. */
  requiredKeys: nonEmptyStrings().default([]),
  /** Turn CSV into NDJSON before sending, with per-column types. */
  convert: z.literal('csv-to-ndjson', { error: "must be 'csv-to-ndjson'" }).exactOptional(),
  types: z
    .record(z.string(), z.enum(COLUMN_TYPES, { error: `must be one of ${COLUMN_TYPES.join(', ')}` }), {
      error: 'must map column names to string, number, boolean or date',
    })
    .default({}),
  /** Send gzip-compressed, as <name>.gz. */
  compress: z.literal('gzip', { error: "must be 'gzip'" }).exactOptional(),
  /** Files the folder must deliver on a schedule: late and missing ones are told. */
  expect: expectationsSchema.exactOptional(),
  /** `manual`: a person loads the files at the vendor, who needs no fields to load them itself. */
  loading: z.enum(FOLDER_LOADING, { error: oneOfMessage(FOLDER_LOADING) }).exactOptional(),
};

/** Column types mean something only to the conversion. */
function typesNeedConvert(folder: unknown, ctx: z.core.$RefinementCtx): void {
  if (!isJsonObject(folder) || folder.convert === 'csv-to-ndjson') return;
  const { types } = folder;
  if (isJsonObject(types) && Object.keys(types).length === 0) return;
  ctx.addIssue({ code: 'custom', path: ['types'], message: 'only applies with "convert": "csv-to-ndjson"' });
}

/** An expected file is known by its descriptor and date, so the folder's rule must name both. */
function expectNeedsRuleFields(folder: unknown, ctx: z.core.$RefinementCtx): void {
  if (!isJsonObject(folder) || !Array.isArray(folder.expect) || folder.expect.length === 0) return;
  const template = typeof folder.rule === 'string' ? folder.rule : DEFAULT_TEMPLATE;
  let names;
  try {
    names = ruleFields(parseRule(template)).map((field) => field.name);
  } catch {
    return;
  }
  const lacking = ['descriptor', 'date'].filter((name) => !names.includes(name));
  if (lacking.length > 0)
    ctx.addIssue({
      code: 'custom',
      path: ['expect'],
      message: `needs a rule with {descriptor} and {date}; '${template}' has no ${lacking.map((n) => `{${n}}`).join(' or ')}`,
    });
}

export const folderSchema = exactObject(
  {
    /** Relative to the config file. */
    path: z
      .string({ error: 'must be a folder path' })
      .refine((path) => path.trim() !== '', { error: 'must be a folder path' }),
    /** The name of a target (that it exists is checked with the whole config). */
    target: z.string({ error: 'must name a target' }),
    rule: ruleSchema.default(DEFAULT_TEMPLATE),
    fields: fieldsSchema.default({}),
    after: z.enum(AFTER_DELIVERY, { error: oneOfMessage(AFTER_DELIVERY) }).default('leave'),
    ...folderOptionsShape,
  },
  'must be an object',
)
  .superRefine(typesNeedConvert, EVEN_WITH_OTHER_ISSUES)
  .superRefine(expectNeedsRuleFields, EVEN_WITH_OTHER_ISSUES);

export type FolderConfig = z.output<typeof folderSchema>;
export type FolderOptions = Pick<FolderConfig, keyof typeof folderOptionsShape>;
