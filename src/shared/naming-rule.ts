import { DATE_PATTERN } from './calendar-date.js';

/**
 * A naming rule is a template such as `{descriptor}-{date}-{version}.{ext}`:
 * placeholders joined by literal text. `{date}` and `{version}` have fixed
 * shapes, `{ext}` is always last, and any other placeholder is free text.
 */
export type FieldType = 'date' | 'version' | 'text';

export type Segment =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'field'; readonly name: string; readonly type: FieldType };

export interface NamingRule {
  /** The template as written, always ending in `.{ext}`. */
  readonly template: string;
  /** What comes before `.{ext}`. */
  readonly segments: readonly Segment[];
}

export const DEFAULT_TEMPLATE = '{descriptor}-{date}-{version}.{ext}';

/** Accepted extensions; each may be followed by `.gz`. Case-sensitive. */
export const EXTENSIONS = ['csv', 'json', 'ndjson'] as const;

export const EXTENSION_HINT = '.csv, .json or .ndjson, optionally followed by .gz';

/** Matches an accepted extension at the end of a name, in any case, so wrong case can be named. */
export const KNOWN_EXTENSION = new RegExp(String.raw`\.((?:${EXTENSIONS.join('|')})(?:\.gz)?)$`, 'i');

/** What a free-text field may hold: it starts with a letter or digit. */
const TEXT_PATTERN = '[A-Za-z0-9][A-Za-z0-9_-]*';

export const FIELD_PATTERNS: Readonly<Record<FieldType, string>> = {
  date: DATE_PATTERN,
  version: String.raw`v?\d+`,
  text: TEXT_PATTERN,
};

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const LITERAL_TEXT = /^[A-Za-z0-9_-]+$/;
const EXT_SUFFIX = '.{ext}';

export class RuleError extends Error {
  override readonly name = 'RuleError';
}

function fieldType(name: string): FieldType {
  if (name === 'date') return 'date';
  if (name === 'version') return 'version';
  return 'text';
}

function parseSegment(token: string, template: string): Segment {
  if (!token.startsWith('{')) {
    if (token.includes('}')) throw new RuleError(`unbalanced '}' in rule '${template}'`);
    if (!LITERAL_TEXT.test(token)) {
      throw new RuleError(
        `rule '${template}': the text '${token}' may hold only letters, digits, '-' and '_'`,
      );
    }
    return { kind: 'literal', text: token };
  }
  const name = token.slice(1, -1);
  if (name === 'ext')
    throw new RuleError(`rule '${template}': {ext} may appear only at the end, as '.{ext}'`);
  if (!FIELD_NAME.test(name)) {
    throw new RuleError(
      `rule '${template}': '{${name}}' is not a field name (letters, digits and '_', starting with a letter)`,
    );
  }
  return { kind: 'field', name, type: fieldType(name) };
}

/**
 * Parses a rule template. `.{ext}` is implied when the template leaves it out,
 * so `{provider}_{datasetType}_{date}` and `{provider}_{datasetType}_{date}.{ext}`
 * are the same rule.
 */
const RULE_FIELDS = new WeakMap<NamingRule, readonly { readonly name: string; readonly type: FieldType }[]>();

export function parseRule(template: string): NamingRule {
  const stemTemplate = template.endsWith(EXT_SUFFIX) ? template.slice(0, -EXT_SUFFIX.length) : template;
  if (stemTemplate.length === 0)
    throw new RuleError('a rule needs at least one field or literal before .{ext}');
  const tokens = stemTemplate.match(/\{[^{}]*\}|[^{}]+|[{}]/g) ?? [];
  if (tokens.some((t) => t === '{' || t === '}'))
    throw new RuleError(`unbalanced braces in rule '${template}'`);

  const segments = tokens.map((token) => parseSegment(token, template));
  const names = new Set<string>();
  segments.forEach((segment, index) => {
    if (segment.kind !== 'field') return;
    if (names.has(segment.name)) throw new RuleError(`rule '${template}' uses {${segment.name}} twice`);
    names.add(segment.name);
    if (segments[index - 1]?.kind === 'field') {
      throw new RuleError(`rule '${template}': fields must be separated by literal text, e.g. '-' or '_'`);
    }
  });
  return { template: stemTemplate + EXT_SUFFIX, segments };
}

export const DEFAULT_RULE: NamingRule = parseRule(DEFAULT_TEMPLATE);

export function fields(rule: NamingRule): readonly { readonly name: string; readonly type: FieldType }[] {
  // Asked for every name checked: kept per rule, as the rule itself never changes.
  let found = RULE_FIELDS.get(rule);
  if (found === undefined) {
    found = rule.segments.flatMap((s) => (s.kind === 'field' ? [s] : []));
    RULE_FIELDS.set(rule, found);
  }
  return found;
}

function exampleValue(field: { name: string; type: FieldType }): string {
  switch (field.type) {
    case 'date':
      return '2024-06-12';
    case 'version':
      return 'v1';
    case 'text':
      return field.name === 'descriptor' ? 'customers' : field.name.toLowerCase();
  }
}

/** A valid name following `rule`, used to show people what is expected. */
export function exampleName(rule: NamingRule): string {
  const stem = rule.segments.map((s) => (s.kind === 'literal' ? s.text : exampleValue(s))).join('');
  return `${stem}.csv`;
}
