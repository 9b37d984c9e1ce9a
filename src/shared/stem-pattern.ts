import { FIELD_PATTERNS, type NamingRule, type Segment } from './naming-rule.js';

/**
 * Regular expressions over a name's stem (the part before the extension),
 * built from a rule's segments.
 *
 * The strict pattern parses from the right: free-text fields are greedy, so
 * the fixed-shape date and version bind to the end of the name, as the
 * convention's "parse from the right" requires.
 *
 * The diagnostic variants explain a stem that fails: `relax` loosens one field
 * (is that field malformed?) and `omit` drops it (is it missing?). In those,
 * free-text fields are lazy so the loosened field claims the most it can.
 */
export type StemVariant =
  | { readonly kind: 'strict' }
  | { readonly kind: 'relax'; readonly field: string }
  | { readonly kind: 'omit'; readonly field: string };

const RELAXED_PATTERNS = {
  // Dates in the wrong form: 2024-6-12, 2024_06_12, 12-06-2024, 240612.
  date: String.raw`\d{4}[-_]\d{1,2}[-_]\d{1,2}|\d{1,2}[-_]\d{1,2}[-_]\d{4}|\d{6,8}`,
  version: '[A-Za-z0-9_-]+',
  text: '[A-Za-z0-9_-]+',
} as const;

/** A free-text field that gives way to the field being diagnosed. */
const LAZY_TEXT = '[A-Za-z0-9][A-Za-z0-9_-]*?';

const SEPARATOR_ONLY = /^[-_]+$/;

/** The segments left when `field` and one separator next to it are dropped. */
function withoutField(segments: readonly Segment[], field: string): readonly Segment[] {
  const index = segments.findIndex((s) => s.kind === 'field' && s.name === field);
  if (index < 0) return segments;
  const before = segments[index - 1];
  const after = segments[index + 1];
  let from = index;
  let to = index + 1;
  if (before?.kind === 'literal' && SEPARATOR_ONLY.test(before.text)) from -= 1;
  else if (after?.kind === 'literal' && SEPARATOR_ONLY.test(after.text)) to += 1;
  return [...segments.slice(0, from), ...segments.slice(to)];
}

function segmentSource(segment: Segment, variant: StemVariant): string {
  // parseRule allows only letters, digits, '-' and '_' in literals: no escaping needed.
  if (segment.kind === 'literal') return segment.text;
  const group = (body: string) => `(?<${segment.name}>${body})`;
  if (variant.kind === 'relax' && variant.field === segment.name) {
    return group(RELAXED_PATTERNS[segment.type]);
  }
  if (segment.type === 'text' && variant.kind !== 'strict') return group(LAZY_TEXT);
  return group(FIELD_PATTERNS[segment.type]);
}

const STRICT_PATTERNS = new WeakMap<NamingRule, RegExp>();

export function stemPattern(rule: NamingRule, variant: StemVariant): RegExp {
  if (variant.kind !== 'strict') return buildPattern(rule, variant);
  // Every file a folder sees is checked with its rule's strict pattern: built once per rule.
  // Shared safely: it has no g or y flag, so exec and test keep no state between names.
  let strict = STRICT_PATTERNS.get(rule);
  if (strict === undefined) {
    strict = buildPattern(rule, variant);
    STRICT_PATTERNS.set(rule, strict);
  }
  return strict;
}

function buildPattern(rule: NamingRule, variant: StemVariant): RegExp {
  const segments = variant.kind === 'omit' ? withoutField(rule.segments, variant.field) : rule.segments;
  return new RegExp(`^${segments.map((s) => segmentSource(s, variant)).join('')}$`);
}
