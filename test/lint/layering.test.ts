import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lintPlanted } from '../support/planted-lint.js';

/**
 * Proves the layering in docs/architecture.md is enforced: real files with a
 * planted import are written into the source tree and linted with the
 * project's own config, as `npm run lint` would; each crossing import must be
 * an error and each allowed one must not.
 */
const FORBIDDEN: readonly (readonly [string, string])[] = [
  ['src/engine', 'node:fs'],
  ['src/engine', 'fs/promises'],
  ['src/engine', 'electron'],
  ['src/engine', 'got'],
  ['src/engine', 'chokidar'],
  ['src/engine', '../node/candidate-files.js'],
  ['src/engine/planted-deep', '../../cli/main.js'],
  ['src/shared', '../engine/anything.js'],
  ['src/shared', 'commander'],
  ['src/shared', 'zod'],
  ['src/shared', 'node:path'],
  ['src/renderer', 'node:path'],
  ['src/renderer', 'electron'],
  ['src/renderer', '../node/candidate-files.js'],
  ['src/preload', 'node:fs'],
  ['src/preload', '../node/candidate-files.js'],
  ['src/cli', 'electron'],
  ['src/cli', '../main/anything.js'],
  ['src/node', 'electron'],
  ['src/node', 'electron-store'],
  ['src/cli', 'electron-store'],
  ['src/engine', 'conf'],
  ['src/node', '../cli/main.js'],
  ['src/sandbox', '../engine/anything.js'],
  ['src/main', '../renderer/anything.js'],
];

const ALLOWED: readonly (readonly [string, string])[] = [
  ['src/engine', '../shared/naming.js'],
  ['src/node', 'node:fs'],
  ['src/node', '../engine/anything.js'],
  ['src/cli', '../node/candidate-files.js'],
  ['src/cli', '../sandbox/anything.js'],
  ['src/main', 'electron'],
  ['src/main', 'electron-store'],
  ['src/cli', 'conf'],
  ['src/engine', 'zod'],
  ['src/preload', 'electron'],
  ['src/renderer', '../shared/naming.js'],
  ['src/sandbox', '../shared/naming.js'],
];

const planted = [...FORBIDDEN, ...ALLOWED].map(([folder, specifier], index) => ({
  file: resolve(folder, `planted-layering-${index}.ts`),
  source: `import * as planted from '${specifier}';\nexport const used = planted;\n`,
}));
const layeringErrors = new Map<string, string[]>();

beforeAll(async () => {
  for (const [file, messages] of await lintPlanted(planted)) {
    const found = messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports');
    layeringErrors.set(
      file,
      found.map((m) => m.message),
    );
  }
}, 120_000);

const errorsFor = (index: number) => layeringErrors.get(planted[index]?.file ?? '') ?? ['not linted'];

describe('layering lint', () => {
  it.each(FORBIDDEN.map(([folder, specifier], index) => [folder, specifier, index] as const))(
    '%s may not import %s',
    (_folder, _specifier, index) => {
      expect(errorsFor(index)).not.toEqual([]);
      expect(errorsFor(index)).not.toContain('not linted');
    },
  );

  it.each(
    ALLOWED.map(([folder, specifier], index) => [folder, specifier, FORBIDDEN.length + index] as const),
  )('%s may import %s', (_folder, _specifier, index) => {
    expect(errorsFor(index)).toEqual([]);
  });
});
