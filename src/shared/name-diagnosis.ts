import { calendarProblem } from './calendar-date.js';
import { ignoredReason } from './ignored-files.js';
import { structureProblem } from './name-structure.js';
import { EXTENSION_HINT, fields, KNOWN_EXTENSION, type NamingRule } from './naming-rule.js';
import { stemPattern } from './stem-pattern.js';

/** Stable machine codes for a rejected name; scripts may rely on them. */
export type RejectionCode =
  | 'too-long'
  | 'bad-character'
  | 'missing-extension'
  | 'bad-extension'
  | 'missing-date'
  | 'bad-date'
  | 'missing-version'
  | 'bad-version'
  | 'missing-field'
  | 'bad-field'
  | 'bad-structure';

/** The fields of a valid name, e.g. {descriptor, date, version, ext}. */
export type NameParts = Readonly<Record<string, string>>;

export type Diagnosis =
  | { readonly status: 'valid'; readonly parts: NameParts }
  | { readonly status: 'rejected'; readonly code: RejectionCode; readonly reason: string }
  | { readonly status: 'ignored'; readonly reason: string };

export const MAX_NAME_BYTES = 255;

const ALLOWED_CHARACTER = /[A-Za-z0-9._-]/;
const UTF8 = new TextEncoder();

const rejected = (code: RejectionCode, reason: string): Diagnosis => ({ status: 'rejected', code, reason });

/**
 * Characters a reason must not show as they are: controls (C0, DEL, C1) move a terminal's
 * cursor or start escape sequences, and format, separator, surrogate, private and unassigned
 * code points are invisible or reorder the line around them (a bidi override).
 */
const CONTROL = /\p{Cc}/u;
const INVISIBLE = /[\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}]/u;

function describeCharacter(char: string): string {
  if (char === ' ') return 'a space';
  if (char === '\t') return 'a tab';
  const codePoint = char.codePointAt(0) ?? 0;
  const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  if (CONTROL.test(char)) return `a control character (${hex})`;
  if (INVISIBLE.test(char)) return `an invisible character (${hex})`;
  if (codePoint > 0x7f) return `'${char}' (${hex}, not ASCII)`;
  return `'${char}'`;
}

function characterProblem(name: string): string | undefined {
  let position = 0;
  for (const char of name) {
    position += 1;
    if (!ALLOWED_CHARACTER.test(char)) {
      return `contains ${describeCharacter(char)} at position ${position}; only letters, digits, '-', '_' and the extension's dots are allowed`;
    }
  }
  return undefined;
}

type ExtensionSplit = { readonly stem: string; readonly ext: string } | { readonly problem: Diagnosis };

function splitExtension(name: string): ExtensionSplit {
  const known = KNOWN_EXTENSION.exec(name);
  if (known?.[1] !== undefined) {
    const ext = known[1];
    if (ext !== ext.toLowerCase()) {
      return {
        problem: rejected(
          'bad-extension',
          `extension '.${ext}' must be lower-case: '.${ext.toLowerCase()}' (names are case-sensitive)`,
        ),
      };
    }
    return { stem: name.slice(0, known.index), ext };
  }
  const dot = name.lastIndexOf('.');
  if (dot <= 0)
    return { problem: rejected('missing-extension', `no extension: end the name with ${EXTENSION_HINT}`) };
  return {
    problem: rejected(
      'bad-extension',
      `extension '${name.slice(dot)}' is not accepted: use ${EXTENSION_HINT}`,
    ),
  };
}

/**
 * Decides whether `name` follows `rule`, and if not, why: the first problem
 * found, in the order a person would fix them (length, characters, extension,
 * structure, calendar).
 */
export function diagnoseName(name: string, rule: NamingRule): Diagnosis {
  const ignored = ignoredReason(name);
  if (ignored !== undefined) return { status: 'ignored', reason: ignored };

  const bytes = UTF8.encode(name).length;
  if (bytes > MAX_NAME_BYTES) {
    return rejected('too-long', `name is ${bytes} bytes long; at most ${MAX_NAME_BYTES} are allowed`);
  }
  const badCharacter = characterProblem(name);
  if (badCharacter !== undefined) return rejected('bad-character', `name ${badCharacter}`);

  const split = splitExtension(name);
  if ('problem' in split) return split.problem;
  const { stem, ext } = split;
  const dot = stem.indexOf('.');
  if (dot >= 0) {
    return rejected(
      'bad-character',
      `name contains '.' at position ${dot + 1}; dots may appear only in the extension`,
    );
  }

  const groups = stemPattern(rule, { kind: 'strict' }).exec(stem)?.groups;
  if (groups === undefined) {
    const { code, problem } = structureProblem(stem, rule);
    return rejected(code, problem);
  }
  for (const field of fields(rule)) {
    const value = groups[field.name];
    const problem = field.type === 'date' && value !== undefined ? calendarProblem(value) : undefined;
    if (problem !== undefined) return rejected('bad-date', problem);
  }
  return { status: 'valid', parts: { ...groups, ext } };
}
