import { calendarProblem, DATE_PATTERN, formatIsoDate } from './calendar-date.js';
import { diagnoseName } from './name-diagnosis.js';
import { ruleSeparator, swapSeparators } from './name-structure.js';
import { fields, KNOWN_EXTENSION, type NamingRule } from './naming-rule.js';

/**
 * Proposes a valid name close to a rejected one, or nothing when no fix can be
 * derived from the name itself (an unknown extension, an impossible date, a
 * missing date). Every proposal is checked against the rule before it is made.
 */

const DIACRITICS = /[\u0300-\u036f]/g;
// A run of characters that are not allowed, with the separators around it: 'a - b' → 'a-b'.
const DISALLOWED_RUN = /(?:[-_]*[^A-Za-z0-9_-])+[-_]*/g;
const LOOSE_DATE = /(?<![0-9])(\d{4})[-_](\d{1,2})[-_](\d{1,2})(?![0-9])/g;

function splitLoosely(name: string): { stem: string; ext: string } {
  const match = KNOWN_EXTENSION.exec(name);
  if (match?.[1] === undefined) return { stem: name, ext: '' };
  return { stem: name.slice(0, match.index), ext: `.${match[1].toLowerCase()}` };
}

/** Accents dropped, anything else that is not allowed turned into '-'. */
function cleanStem(stem: string): string {
  return stem
    .normalize('NFKD')
    .replace(DIACRITICS, '')
    .replace(DISALLOWED_RUN, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
}

/** 2024-6-12 or 2024_06_12 → 2024-06-12, when it is a real date. */
function normalizeDates(stem: string): string {
  return stem.replace(LOOSE_DATE, (original, year: string, month: string, day: string) => {
    const iso = formatIsoDate({ year: Number(year), month: Number(month), day: Number(day) });
    return calendarProblem(iso) === undefined ? iso : original;
  });
}

/** The literal written before {version} in the rule, when the version comes last. */
function versionSeparator(rule: NamingRule): string | undefined {
  const [before, last] = rule.segments.slice(-2);
  if (last?.kind !== 'field' || last.type !== 'version') return undefined;
  return before?.kind === 'literal' ? before.text : undefined;
}

/** A date with the other separator, or none, next to it: `x_2024-06-12_v1`, `x2024-06-12v1`. */
function separatedDates(stem: string, separator: '-' | '_'): string {
  const date = String.raw`(?<![0-9])(?:${DATE_PATTERN})(?![0-9])`;
  return stem
    .replace(new RegExp(String.raw`(?:[-_]|(?<=[A-Za-z0-9]))(${date})`, 'g'), `${separator}$1`)
    .replace(new RegExp(String.raw`(${date})(?:[-_]|(?=[A-Za-z0-9]))`, 'g'), `$1${separator}`);
}

/**
 * Ways to fix the stem, the smallest change first: as it is (cleaned), the separators next to
 * its date made the rule's, then every separator made the rule's.
 */
function candidates(name: string, rule: NamingRule): string[] {
  const { stem, ext } = splitLoosely(name);
  const cleaned = normalizeDates(cleanStem(stem));
  const stems = [cleaned];
  const wanted = ruleSeparator(rule);
  if (wanted !== undefined) {
    stems.push(separatedDates(cleaned, wanted));
    stems.push(normalizeDates(swapSeparators(cleaned, wanted === '-' ? '_' : '-', wanted)));
  }
  const separator = versionSeparator(rule);
  if (separator !== undefined) stems.push(...stems.map((s) => `${s}${separator}v1`));
  return stems.map((s) => s + ext);
}

export function suggestName(name: string, rule: NamingRule): string | undefined {
  if (fields(rule).length === 0) return undefined;
  return candidates(name, rule).find(
    (candidate) => candidate !== name && diagnoseName(candidate, rule).status === 'valid',
  );
}
