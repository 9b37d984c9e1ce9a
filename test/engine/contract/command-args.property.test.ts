import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCommand, isCommandName } from '../../../src/engine/contract/command-args.js';

/**
 * What a transport hands the agent (an IPC message, an HTTP body) is anything at all: the check
 * never throws, answers a `bad-request` or the arguments as plain JSON data, and a command never
 * runs with an argument it does not declare (issue #16).
 */
const RUNS = { numRuns: 500, interruptAfterTimeLimit: 4_000 };
const NAMES = [
  'jobs.list',
  'jobs.retry',
  'agent.pause',
  'files.upload',
  'naming.preview',
  'settings.setToken',
  'settings.update',
  '__proto__',
  'constructor',
  'toString',
];
const KEYS = [
  'id',
  'force',
  'folder',
  'path',
  'target',
  'token',
  'rule',
  'names',
  '__proto__',
  'constructor',
  'toString',
];

const args = fc.oneof(
  fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true, maxDepth: 3 }),
  fc.dictionary(
    fc.constantFrom(...KEYS),
    fc.oneof(fc.string(), fc.boolean(), fc.jsonValue({ maxDepth: 1 })),
    {
      maxKeys: 4,
    },
  ),
  fc.jsonValue().map((value) => JSON.parse(`{"__proto__": ${JSON.stringify(value)}}`) as unknown),
);

describe('checkCommand on anything', () => {
  it('answers a bad-request or plain arguments, never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...NAMES), fc.string(), fc.anything()), args, (name, given) => {
        const checked = checkCommand(name, given);
        if (!checked.ok) {
          expect(checked.error.kind).toBe('bad-request');
          return;
        }
        expect(isCommandName(name)).toBe(true);
        // Plain data: the same after a trip through JSON, so nothing rode along on a prototype.
        expect(JSON.parse(JSON.stringify(checked.args)) as unknown).toEqual(checked.args);
        expect(Object.getPrototypeOf(checked.args)).toBe(Object.prototype);
        expect(Object.keys(checked.args)).not.toContain('__proto__');
      }),
      RUNS,
    );
  });
});
