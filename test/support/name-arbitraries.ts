import fc from 'fast-check';
import type { NamingRule, Segment } from '../../src/shared/naming-rule.js';

/** fast-check generators for names that follow a rule, derived from the rule itself. */

const LETTERS_AND_DIGITS = Array.from('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');

export const textField = fc
  .tuple(
    fc.constantFrom(...LETTERS_AND_DIGITS),
    fc.string({ unit: fc.constantFrom(...LETTERS_AND_DIGITS, '-', '_'), maxLength: 40 }),
  )
  .map(([first, rest]) => first + rest);

export const calendarDate = fc
  .date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

export const dateField = fc
  .tuple(calendarDate, fc.boolean())
  .map(([iso, compact]) => (compact ? iso.replaceAll('-', '') : iso));

export const versionField = fc
  .tuple(fc.boolean(), fc.nat({ max: 99_999 }))
  .map(([prefixed, n]) => `${prefixed ? 'v' : ''}${n}`);

export const extension = fc.constantFrom('csv', 'json', 'ndjson', 'csv.gz', 'json.gz', 'ndjson.gz');

function segmentValue(segment: Segment): fc.Arbitrary<string> {
  if (segment.kind === 'literal') return fc.constant(segment.text);
  switch (segment.type) {
    case 'date':
      return dateField;
    case 'version':
      return versionField;
    case 'text':
      return textField;
  }
}

/** Any name the rule accepts (the byte limit aside, which fields of at most 41 characters stay under). */
export function validName(rule: NamingRule): fc.Arbitrary<string> {
  return fc
    .tuple(fc.tuple(...rule.segments.map(segmentValue)), extension)
    .map(([values, ext]) => `${values.join('')}.${ext}`);
}

/** Characters the convention never allows in a name (the extension's dots aside). */
export const forbiddenCharacter = fc.oneof(
  fc.constantFrom(
    ...Array.from(' !#$%&\'()+,;=@[]^`{}~/\\:*?"<>|.\t\u0000\u007f'),
    'é',
    'ß',
    'Ω',
    '中',
    '😀',
    '\u00a0',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter((c) => !/^[A-Za-z0-9_-]$/.test(c)),
);
