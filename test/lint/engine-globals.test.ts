import { resolve } from 'node:path';
import type { Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { lintPlanted } from '../support/planted-lint.js';

/**
 * Proves src/engine and src/shared reach time and timers only through the Clock port and
 * take nothing from Node's globals: each banned form, planted in both folders and linted
 * with the project's config, is an error of the named rule; the allowed forms are not.
 */
const BANNED_RULES = ['no-restricted-globals', 'no-restricted-properties', 'no-restricted-syntax'];

const CLOCK = 'Clock port (src/engine/ports.ts)';

/** [form, source, the rule that refuses it, what its message says instead] */
const REFUSED: readonly (readonly [string, string, string, string])[] = [
  ['Date.now()', 'export const at = Date.now();', 'no-restricted-properties', CLOCK],
  ['Date.now as a value', 'export const now = Date.now;', 'no-restricted-properties', CLOCK],
  ['new Date()', 'export const at = new Date();', 'no-restricted-syntax', CLOCK],
  ['Date()', 'export const at = Date();', 'no-restricted-syntax', CLOCK],
  ['setTimeout', 'export const t = setTimeout(() => undefined, 5);', 'no-restricted-globals', CLOCK],
  ['clearTimeout', 'export const stop = (t: number) => clearTimeout(t);', 'no-restricted-globals', CLOCK],
  ['setInterval', 'export const t = setInterval(() => undefined, 5);', 'no-restricted-globals', CLOCK],
  ['setImmediate', 'export const t = setImmediate(() => undefined);', 'no-restricted-globals', CLOCK],
  [
    'globalThis.setTimeout',
    'export const t = globalThis.setTimeout(() => undefined, 5);',
    'no-restricted-globals',
    CLOCK,
  ],
  [
    'global.setTimeout',
    'export const t = global.setTimeout(() => undefined, 5);',
    'no-restricted-globals',
    'global object',
  ],
  ['performance.now()', 'export const at = performance.now();', 'no-restricted-globals', CLOCK],
  ['Buffer', "export const bytes = Buffer.from('x');", 'no-restricted-globals', 'Uint8Array'],
  ['process', 'export const home = process.env.HOME;', 'no-restricted-globals', 'as an argument'],
  // The bans replace the base no-restricted-syntax options for these files; named exports still hold.
  ['a default export', 'export default 1;', 'no-restricted-syntax', 'Named exports only.'],
];

const ALLOWED: readonly (readonly [string, string])[] = [
  ['new Date(ms)', 'export const at = (ms: number) => new Date(ms).toISOString();'],
  ['clock.now()', 'export const at = (clock: { now(): number }) => new Date(clock.now());'],
  [
    'a local named timeout',
    'export function half(timeout: number) {\n  const interval = timeout / 2;\n  return interval;\n}',
  ],
  [
    'a timer handed in as an argument',
    'export const later = (setTimeout: (run: () => void) => void) => {\n  setTimeout(() => undefined);\n};',
  ],
  [
    'the words in a comment',
    '// Date.now(), setTimeout and process belong to the hosts.\nexport const none = 0;',
  ],
];

const FOLDERS = ['src/engine', 'src/shared'];
/** The bans hold for engine and shared only: the adapters and hosts are where time comes from. */
const UNBANNED = ['export const at = Date.now();', 'export const t = setTimeout(() => undefined, 5);'];

const plant = (folder: string, name: string, source: string) => ({
  file: resolve(folder, `planted-engine-globals-${name}.ts`),
  source: source + '\n',
});
const refused = FOLDERS.flatMap((folder) =>
  REFUSED.map(([form, source, rule, says], i) => ({
    folder,
    form,
    rule,
    says,
    ...plant(folder, `refused-${i}`, source),
  })),
);
const allowed = FOLDERS.flatMap((folder) =>
  ALLOWED.map(([form, source], i) => ({ folder, form, ...plant(folder, `allowed-${i}`, source) })),
);
const unbanned = UNBANNED.map((source, i) => plant('src/node', `unbanned-${i}`, source));

let messages = new Map<string, Linter.LintMessage[]>();

beforeAll(async () => {
  messages = await lintPlanted([...refused, ...allowed, ...unbanned]);
}, 120_000);

const banned = (file: string) =>
  (messages.get(file) ?? []).filter((m) => BANNED_RULES.includes(m.ruleId ?? ''));

describe('src/engine and src/shared take time from the Clock port, nothing from the host', () => {
  it.each(refused.map((p) => [p.folder, p.form, p] as const))('%s refuses %s', (_folder, _form, p) => {
    expect(messages.has(p.file)).toBe(true);
    expect(banned(p.file).map((m) => m.ruleId)).toEqual([p.rule]);
    expect(banned(p.file)[0]?.message).toContain(p.says);
  });

  it.each(allowed.map((p) => [p.folder, p.form, p] as const))('%s accepts %s', (_folder, _form, p) => {
    expect(messages.has(p.file)).toBe(true);
    expect(banned(p.file)).toEqual([]);
  });

  it('src/node may read the clock and set timers', () => {
    for (const p of unbanned) {
      expect(messages.has(p.file)).toBe(true);
      expect(banned(p.file)).toEqual([]);
    }
  });
});
