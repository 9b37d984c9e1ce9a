import { calendarProblem, DATE_PATTERN } from './calendar-date.js';
import type { RejectionCode } from './name-diagnosis.js';
import { exampleName, fields, type FieldType, type NamingRule } from './naming-rule.js';
import { stemPattern } from './stem-pattern.js';

/**
 * Why a stem (a name without its extension) does not follow a rule whose pattern it fails: a
 * field that is malformed or missing, or, where a field-by-field reading would mislead, a name
 * whose parts are all there but joined by the other separator, or a date that is there but
 * glued to its neighbour or out of its place.
 */

/** A problem found, before the rule's example is added to it. */
export interface StructureFinding {
  readonly code: RejectionCode;
  readonly problem: string;
}

/** Codes that say the parts are not where the rule wants them (the others say a part is malformed). */
const STRUCTURAL: ReadonlySet<RejectionCode> = new Set([
  'missing-date',
  'missing-version',
  'missing-field',
  'bad-structure',
]);

/** A real date of the convention's forms, not part of a longer run of digits. */
const DATE_TOKEN = new RegExp(String.raw`(?<![0-9])(?:${DATE_PATTERN})(?![0-9])`, 'g');

const finding = (code: RejectionCode, problem: string): StructureFinding => ({ code, problem });

function malformed(field: string, type: FieldType, value: string): StructureFinding {
  switch (type) {
    case 'date':
      return finding('bad-date', `date '${value}' must be written YYYY-MM-DD or YYYYMMDD`);
    case 'version':
      return finding(
        'bad-version',
        `version '${value}' must be a number, optionally after 'v' (e.g. v1 or 2)`,
      );
    case 'text':
      return finding('bad-field', `${field} '${value}' must start with a letter or digit`);
  }
}

function missingCode(type: FieldType): RejectionCode {
  switch (type) {
    case 'date':
      return 'missing-date';
    case 'version':
      return 'missing-version';
    case 'text':
      return 'missing-field';
  }
}

/** The real dates in a stem, with where each starts and ends. */
function dateTokens(stem: string): { readonly text: string; readonly start: number; readonly end: number }[] {
  return [...stem.matchAll(DATE_TOKEN)]
    .filter((match) => calendarProblem(match[0]) === undefined)
    .map((match) => ({ text: match[0], start: match.index, end: match.index + match[0].length }));
}

/** The literal the rule writes right before and right after {date}, if any. */
function dateNeighbours(rule: NamingRule): { readonly before?: string; readonly after?: string } {
  const at = rule.segments.findIndex((s) => s.kind === 'field' && s.type === 'date');
  const before = rule.segments[at - 1];
  const after = rule.segments[at + 1];
  return {
    ...(before?.kind === 'literal' ? { before: before.text } : {}),
    ...(after?.kind === 'literal' ? { after: after.text } : {}),
  };
}

const ALPHANUMERIC = /[A-Za-z0-9]/;

/**
 * A date the stem holds though a field-by-field reading calls it missing (or finds nothing):
 * glued to the text next to it, or somewhere the rule does not put it.
 */
function presentDate(stem: string, rule: NamingRule): StructureFinding | undefined {
  if (!fields(rule).some((f) => f.type === 'date')) return undefined;
  const [date] = dateTokens(stem);
  if (date === undefined) return undefined;
  const { before, after } = dateNeighbours(rule);
  const sides = [
    before !== undefined && ALPHANUMERIC.test(stem[date.start - 1] ?? '') ? `'${before}' before it` : '',
    after !== undefined && ALPHANUMERIC.test(stem[date.end] ?? '') ? `'${after}' after it` : '',
  ].filter((side) => side !== '');
  if (sides.length > 0)
    return finding('bad-structure', `the date '${date.text}' needs ${sides.join(' and ')}`);
  return finding('bad-structure', `the date '${date.text}' is not where the rule puts it`);
}

/** Field by field, right to left as names are parsed: the first malformed or missing one. */
function fieldFinding(stem: string, rule: NamingRule): StructureFinding {
  const ruleFields = [...fields(rule)].reverse();
  for (const field of ruleFields) {
    const value = stemPattern(rule, { kind: 'relax', field: field.name }).exec(stem)?.groups?.[field.name];
    if (value !== undefined) return malformed(field.name, field.type, value);
  }
  // Free text can absorb anything, so only call a fixed-shape field missing
  // once no free-text field is: '2024-06-12-v1' lacks its descriptor, not its date.
  const byShape = [
    ...ruleFields.filter((f) => f.type === 'text'),
    ...ruleFields.filter((f) => f.type !== 'text'),
  ];
  for (const field of byShape) {
    if (!stemPattern(rule, { kind: 'omit', field: field.name }).test(stem)) continue;
    // Free text absorbed a date that is there: it is misplaced, not missing.
    if (field.type === 'date')
      return presentDate(stem, rule) ?? finding('missing-date', 'the date is missing');
    return finding(missingCode(field.type), `the ${field.name} is missing`);
  }
  return presentDate(stem, rule) ?? finding('bad-structure', `'${stem}' does not follow the rule`);
}

/** The one character every separator of the rule is, when they are all '-' or all '_'. */
export function ruleSeparator(rule: NamingRule): '-' | '_' | undefined {
  const literals = rule.segments.flatMap((s) => (s.kind === 'literal' ? [s.text] : []));
  if (literals.length === 0) return undefined;
  if (literals.every((text) => /^-+$/.test(text))) return '-';
  if (literals.every((text) => /^_+$/.test(text))) return '_';
  return undefined;
}

/** The stem with every `from` turned into `to`, except inside dates (2025-01-01 keeps its hyphens). */
export function swapSeparators(stem: string, from: '-' | '_', to: '-' | '_'): string {
  let swapped = '';
  let at = 0;
  for (const date of dateTokens(stem)) {
    swapped += stem.slice(at, date.start).replaceAll(from, to) + date.text;
    at = date.end;
  }
  return swapped + stem.slice(at).replaceAll(from, to);
}

/**
 * The parts joined by the other separator: '_' where the rule wants '-' (or the reverse). Said
 * when swapping them makes the name follow the rule, or changes what is wrong with it (a
 * descriptor may hold '_' and still be missing its version: that is not about separators).
 */
function separatorFinding(
  stem: string,
  rule: NamingRule,
  first: StructureFinding,
): StructureFinding | undefined {
  const wanted = ruleSeparator(rule);
  if (wanted === undefined) return undefined;
  const other = wanted === '-' ? '_' : '-';
  const swapped = swapSeparators(stem, other, wanted);
  if (swapped === stem) return undefined;
  const joined = `parts are joined by '${other}' where the rule wants '${wanted}'`;
  if (stemPattern(rule, { kind: 'strict' }).test(swapped)) return finding('bad-structure', joined);
  const then = fieldFinding(swapped, rule);
  if (then.code === first.code) return undefined;
  return finding('bad-structure', `${joined}, and ${then.problem}`);
}

/** Why a stem the rule's pattern refuses does not follow it, as the reason a person reads. */
export function structureProblem(stem: string, rule: NamingRule): StructureFinding {
  const first = fieldFinding(stem, rule);
  if (!STRUCTURAL.has(first.code)) return first;
  const found = separatorFinding(stem, rule, first) ?? first;
  return {
    code: found.code,
    problem: `${found.problem}: names follow ${rule.template}, e.g. ${exampleName(rule)}`,
  };
}
