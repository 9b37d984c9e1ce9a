import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkName, DEFAULT_RULE, parseRule } from '../../src/shared/naming.js';
import { isPrintable } from '../../src/shared/vendor-text.js';
import {
  dateField,
  extension,
  forbiddenCharacter,
  textField,
  validName,
  versionField,
} from '../support/name-arbitraries.js';

const RULES = [
  DEFAULT_RULE,
  parseRule('{provider}_{datasetType}_{date}.{ext}'),
  parseRule('export_{date}-{version}'),
];

const defaultParts = fc.record({
  descriptor: textField,
  date: dateField,
  version: versionField,
  ext: extension,
});
const nameOf = (p: { descriptor: string; date: string; version: string; ext: string }) =>
  `${p.descriptor}-${p.date}-${p.version}.${p.ext}`;

describe.each(RULES.map((rule) => [rule.template, rule] as const))('rule %s', (_template, rule) => {
  it('accepts every name its generator produces', () => {
    fc.assert(
      fc.property(validName(rule), (name) => {
        expect(checkName(name, rule)).toMatchObject({ status: 'valid' });
      }),
    );
  });

  it('rejects or ignores a name with one forbidden character put in place of another', () => {
    fc.assert(
      fc.property(validName(rule), fc.nat(), forbiddenCharacter, (name, at, char) => {
        const i = at % name.length;
        // The extension's dot put in place of itself is no corruption.
        fc.pre(name.charAt(i) !== char);
        const corrupted = name.slice(0, i) + char + name.slice(i + 1);
        expect(checkName(corrupted, rule).status).not.toBe('valid');
      }),
    );
  });

  it('rejects or ignores a name with one forbidden character inserted', () => {
    fc.assert(
      fc.property(validName(rule), fc.nat(), forbiddenCharacter, (name, at, char) => {
        const i = at % (name.length + 1);
        expect(checkName(name.slice(0, i) + char + name.slice(i), rule).status).not.toBe('valid');
      }),
    );
  });

  it('rejects a name whose extension has one upper-case letter', () => {
    fc.assert(
      fc.property(validName(rule), fc.nat(), (name, at) => {
        const dot = name.indexOf('.');
        const letters = [...name.slice(dot).matchAll(/[a-z]/g)].map((m) => dot + m.index);
        const i = letters[at % letters.length] ?? dot + 1;
        const corrupted = name.slice(0, i) + name.charAt(i).toUpperCase() + name.slice(i + 1);
        expect(checkName(corrupted, rule)).toMatchObject({ status: 'rejected', code: 'bad-extension' });
      }),
    );
  });

  it('only ever suggests names that are valid under the same rule', () => {
    const anyText = fc.string({
      unit: fc.oneof(
        fc.constantFrom(...Array.from('aZ09-_. vV')),
        fc.string({ unit: 'grapheme', maxLength: 1 }),
      ),
      maxLength: 60,
    });
    const damaged = fc.tuple(validName(rule), fc.nat(), forbiddenCharacter).map(([n, at, c]) => {
      const i = at % n.length;
      return n.slice(0, i) + c + n.slice(i + 1);
    });
    fc.assert(
      fc.property(fc.oneof(anyText, damaged), (name) => {
        const verdict = checkName(name, rule);
        if (verdict.status === 'rejected' && verdict.suggestion !== undefined) {
          expect(verdict.suggestion).not.toBe(name);
          expect(checkName(verdict.suggestion, rule)).toMatchObject({ status: 'valid' });
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('the default rule', () => {
  it('parses every generated name back into the parts it was made from', () => {
    fc.assert(
      fc.property(defaultParts, (parts) => {
        expect(checkName(nameOf(parts))).toEqual({ status: 'valid', parts });
      }),
    );
  });

  it('rejects a name with one digit of its date deleted', () => {
    fc.assert(
      fc.property(defaultParts, fc.nat(), (parts, at) => {
        const digits = [...parts.date.matchAll(/\d/g)].map((m) => m.index);
        const i = digits[at % digits.length] ?? 0;
        const date = parts.date.slice(0, i) + parts.date.slice(i + 1);
        expect(checkName(nameOf({ ...parts, date })).status).toBe('rejected');
      }),
    );
  });

  it('repairs spaces, accents and a wrong-case extension into the canonical name', () => {
    const plain = fc.record({
      descriptor: fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,20}$/),
      date: dateField,
      version: versionField,
      ext: extension,
    });
    fc.assert(
      fc.property(plain, fc.constantFrom(' ', '  ', ' - '), (parts, gap) => {
        const sloppy = `${parts.descriptor}${gap}${parts.date}${gap}${parts.version}.${parts.ext.toUpperCase()}`;
        expect(checkName(sloppy)).toMatchObject({ status: 'rejected', suggestion: nameOf(parts) });
      }),
    );
  });
});

describe('a file name of anything (issue #16)', () => {
  // Any file in a watched folder, another user's included: every code point, controls (C0, C1,
  // DEL) and bidi overrides more often than chance would bring them.
  const odd = fc.oneof(
    fc.constantFrom('\u0000', '\u001b', '\u007f', '\u0085', '\u009b', '\u202e', '\u2066', '\ufeff'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  );
  const anyName = fc.oneof(
    fc.string({ unit: odd, maxLength: 40 }),
    fc
      .tuple(validName(DEFAULT_RULE), fc.string({ unit: odd, minLength: 1, maxLength: 3 }), fc.nat())
      .map(
        ([name, extra, at]) => `${name.slice(0, at % name.length)}${extra}${name.slice(at % name.length)}`,
      ),
  );

  it.each(RULES.map((rule) => [rule.template, rule] as const))(
    'gets a verdict under %s whose reason may be printed as it is',
    (_template, rule) => {
      fc.assert(
        fc.property(anyName, (name) => {
          const verdict = checkName(name, rule);
          expect(['valid', 'rejected', 'ignored']).toContain(verdict.status);
          if (verdict.status === 'valid') return;
          expect(isPrintable(verdict.reason)).toBe(true);
          if (verdict.status === 'rejected' && verdict.suggestion !== undefined)
            expect(checkName(verdict.suggestion, rule).status).toBe('valid');
        }),
        { numRuns: 300, interruptAfterTimeLimit: 4_000 },
      );
    },
  );
});
