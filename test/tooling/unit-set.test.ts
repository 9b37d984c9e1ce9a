import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changesSharedState,
  needsFreshWorker,
  outsideReach,
  testFiles,
  testSets,
} from '../support/unit-set.js';

/**
 * Guards the rules that sort tests for `npm run test:unit` (test/support/unit-set.ts): if they
 * stopped seeing a way out, a test starting a process would slip into the unit loop; if they
 * stopped seeing a mock, it would leak into the next file of its worker.
 */
describe('the unit set', () => {
  it.each([
    'test/support/ferry-cli.ts',
    'test/support/child-process.ts',
    'test/support/ferry-ui.ts',
    'test/support/keyring-session.ts',
    'test/support/tinyproxy.ts',
    'test/faults/support.ts',
  ])('leaves out whatever imports %s', (support) => {
    expect(outsideReach(support)).toBeDefined();
  });

  it('keeps every engine, shared, lint and tooling test: they need nothing outside the process', () => {
    const core = testFiles().filter((file) => /^test\/(engine|shared|lint|tooling)\//.test(file));
    expect(core.length).toBeGreaterThan(40);
    expect(core.filter((file) => outsideReach(file) !== undefined)).toEqual([]);
  });
});

// Fixture sources are put together from parts, so that this file's own text does not match.
describe('the rule', () => {
  let dir = '';
  const write = (name: string, ...parts: string[]) => writeFile(join(dir, name), parts.join(''));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-unit-set-'));
    await write('spawns.ts', "import { spawn } from 'node:child_process';\nexport const run = spawn;\n");
    await write('helper.ts', "export { run } from './spawns.js';\n");
    await write('through-helper.test.ts', "import { run } from './helper.js';\nexport const r = run;\n");
    await write('browser.test.ts', "import {\n  chromium,\n  type Browser,\n} from 'playwright-core';\n");
    await write(
      'types-only.test.ts',
      "import type { Page } from 'playwright-core';\nexport type P = Page;\n",
    );
    await write('dynamic.test.ts', 'export const cp = await import', "('child_process');\n");
    await write('cycle-a.ts', "import { b } from './cycle-b.js';\nexport const a = b;\n");
    await write('cycle-b.ts', "import { a } from './cycle-a.js';\nexport const b = a;\n");
    await write('pure.test.ts', "import { a } from './cycle-a.js';\nimport { x } from '../nowhere.js';\n");
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('follows local imports and re-exports to the module that reaches outside', () => {
    expect(outsideReach(join(dir, 'through-helper.test.ts'))).toMatch(
      /helper\.ts → .*spawns\.ts → node:child_process$/,
    );
  });

  it('sees multi-line and dynamic imports', () => {
    expect(outsideReach(join(dir, 'browser.test.ts'))).toBe('playwright-core');
    expect(outsideReach(join(dir, 'dynamic.test.ts'))).toBe('child_process');
  });

  it('ignores type-only imports, import cycles and imports it cannot find', () => {
    expect(outsideReach(join(dir, 'types-only.test.ts'))).toBeUndefined();
    expect(outsideReach(join(dir, 'pure.test.ts'))).toBeUndefined();
  });
});

describe('the test sets', () => {
  it('hold every test file exactly once', () => {
    const { integration, unitSharingWorkers, unitInFreshWorkers } = testSets();
    expect([...integration, ...unitSharingWorkers, ...unitInFreshWorkers].sort()).toEqual(testFiles());
  });

  it.each(['test/main/ipc.test.ts', 'test/main/app-window.test.ts', 'test/node/token-store.test.ts'])(
    'give %s, which mocks a module or writes process.env, a fresh worker',
    (file) => {
      expect(needsFreshWorker(file)).toBe(true);
    },
  );

  it.each([
    ['vi.', "mock('electron', () => ({}));", true],
    ['vi.', "spyOn(console, 'warn');", true],
    ['vi.', 'useFakeTimers();', true],
    ['process.', "env.FERRY_TOKEN = 'x';", true],
    ['process.', "env['HOME'] ??= '/tmp';", true],
    ['delete process.', 'env.FERRY_TOKEN;', true],
    ['const env = { ...process.', "env, FERRY_TOKEN: 'x' };", false],
    ['if (process.', "env.CI === 'true') skip();", false],
    ['vi.', 'fn();', false],
  ] as const)('give a file holding `%s%s` a fresh worker: %s', (head, tail, fresh) => {
    // Put together, so that this file's own text does not match.
    expect(changesSharedState(head + tail)).toBe(fresh);
  });
});
