import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Which tests `npm run test:unit` runs. The rule: a test file is a unit test unless it, or
 * any module of this repository it imports (at any depth, type-only imports aside), imports
 * one of OUTSIDE. That is how every test here starts a child process: the `ferry` binary,
 * gnome-keyring in dbus-run-session, tinyproxy, curl, mkfifo, Chromium through
 * playwright-core. Servers started in the test's own process (the sandbox) are fine.
 *
 * The rule reads imports, so a new test is sorted as it is written; test/tooling/unit-set.test.ts
 * checks that it still recognises the support modules that reach outside.
 */
const OUTSIDE: readonly string[] = ['node:child_process', 'child_process', 'playwright-core'];

const ROOT = resolve(import.meta.dirname, '../..');

/** Value imports and re-exports, static or dynamic; `import type` is erased and starts nothing. */
const IMPORT =
  /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Every test file of the main suite (`*.test.ts` under test/), relative to the repository. */
export function testFiles(): string[] {
  return readdirSync(join(ROOT, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => `test/${file.replaceAll('\\', '/')}`)
    .sort();
}

/**
 * Why `file` reaches outside, as the chain of imports that gets there
 * (`test/support/ferry-cli.ts → node:child_process`), or undefined for a unit test.
 */
export function outsideReach(file: string, seen = new Set<string>()): string | undefined {
  const path = resolve(ROOT, file);
  if (seen.has(path)) return undefined;
  seen.add(path);
  for (const match of readFileSync(path, 'utf8').matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2] ?? '';
    if (OUTSIDE.includes(specifier)) return specifier;
    const imported = specifier.startsWith('.') ? sourceOf(resolve(dirname(path), specifier)) : undefined;
    const reach = imported === undefined ? undefined : outsideReach(imported, seen);
    if (reach !== undefined) return `${relative(ROOT, imported ?? '')} → ${reach}`;
  }
  return undefined;
}

/** The source file behind an import specifier (`./x.js` is `./x.ts` before the build). */
function sourceOf(path: string): string | undefined {
  const candidates = [
    path.replace(/\.js$/, '.ts'),
    path.replace(/\.js$/, '.tsx'),
    path.replace(/\.cjs$/, '.cts'),
    path,
  ];
  return candidates.find((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile());
}

/** Mocks or spies, fake timers, stubbed globals, or writes to process.env. */
const SHARED_STATE_CHANGE =
  /\bvi\.(?:mock|doMock|spyOn|useFakeTimers|stubGlobal|stubEnv)\(|\bprocess\.env(?:\.\w+|\[[^\]]*\])?\s*(?:\?\?|\|\||&&)?=(?!=)|\bdelete\s+process\.env\b|\bObject\.assign\(\s*process\.env\b/;

/**
 * The unit tests run in shared workers (Vitest's `isolate: false`: each worker imports a module
 * once for all its files), which halves the loop's time; a test file whose own text changes what
 * the next file in its worker would see keeps a fresh worker, as every file has in `npm test`.
 */
export function needsFreshWorker(file: string): boolean {
  return changesSharedState(readFileSync(resolve(ROOT, file), 'utf8'));
}

export function changesSharedState(source: string): boolean {
  return SHARED_STATE_CHANGE.test(source);
}

export interface TestSets {
  /** What `npm run test:unit` leaves out; `npm test` runs them with the rest. */
  readonly integration: string[];
  readonly unitSharingWorkers: string[];
  readonly unitInFreshWorkers: string[];
}

export function testSets(): TestSets {
  const files = testFiles();
  const unit = files.filter((file) => outsideReach(file) === undefined);
  return {
    integration: files.filter((file) => !unit.includes(file)),
    unitSharingWorkers: unit.filter((file) => !needsFreshWorker(file)),
    unitInFreshWorkers: unit.filter((file) => needsFreshWorker(file)),
  };
}
