import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig, validateConfig } from '../../../src/engine/config/validate-config.js';
import { ConfigError } from '../../../src/shared/config.js';
import { isPrintable } from '../../../src/shared/vendor-text.js';

/**
 * The config file is read from disk, where anything may be: any text, any JSON, keys named
 * like Object's own. Reading it gives a config or a ConfigError whose every line may be printed
 * as it is, and changes nothing outside it (issue #16).
 */
const RUNS = { numRuns: 300, interruptAfterTimeLimit: 4_000 };
const ODD_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
const KEYS = [
  'targets',
  'folders',
  'profile',
  'endpoint',
  'retry',
  'attempts',
  'maxBytes',
  'path',
  'target',
  ...ODD_KEYS,
];

/** JSON whose objects use the config's keys and Object's own names as often as any. */
const hostileJson = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(1e308)),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), tie('value'), {
      maxKeys: 4,
    }),
  ),
})).value;

/** Reads the text as Ferry does; the issues, held to what a printed line must be. */
function issuesOf(read: () => unknown): void {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    for (const line of (error as ConfigError).message.split('\n')) {
      expect(isPrintable(line)).toBe(true);
      expect(line).toMatch(/^\S.*: \S/);
    }
  }
}

describe('a config file of anything', () => {
  it('any text: a config or a ConfigError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        issuesOf(() => parseConfig(text));
      }),
      RUNS,
    );
  });

  it("any JSON, Object's own names for keys: a config or a ConfigError, and no prototype touched", () => {
    fc.assert(
      fc.property(hostileJson, (value) => {
        const text = JSON.stringify(value);
        issuesOf(() => parseConfig(text));
        issuesOf(() => validateConfig(JSON.parse(text)));
        expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('profile');
        expect(({} as Record<string, unknown>).targets).toBeUndefined();
      }),
      RUNS,
    );
  });
});
