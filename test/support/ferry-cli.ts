import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningSandbox } from '../../src/sandbox/sandbox.js';

/** The real `ferry` binary (built by `npm run build`, as `npm test` does first) against a sandbox. */

export interface Run {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly output: () => string;
}

export function ferry(args: readonly string[], env: Readonly<Record<string, string>> = {}): Run {
  const child = spawn(process.execPath, ['bin/ferry.js', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (text: string) => {
    output += text;
  };
  child.stdout.setEncoding('utf8').on('data', collect);
  child.stderr.setEncoding('utf8').on('data', collect);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', resolve);
  });
  return { child, exited, output: () => output };
}

/** `ferry` run to its end without blocking this process (a sandbox here can answer it), streams apart. */
export async function ferryRun(args: readonly string[], env: Readonly<Record<string, string>> = {}) {
  const child = spawn(process.execPath, ['bin/ferry.js', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const code = await new Promise<number | null>((resolve) => {
    child.on('close', resolve);
  });
  return { code, stdout, stderr };
}

/** `ferry` run to its end, blocking this process: only for commands that talk to no sandbox here. */
export function ferrySync(args: readonly string[], env: Readonly<Record<string, string>> = {}, input = '') {
  const result = spawnSync(process.execPath, ['bin/ferry.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    input,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `ferry watch <folder>` on the sandbox's lexer API with a short settle window. */
export function watch(
  sandbox: RunningSandbox,
  folder: string,
  stateDir: string,
  extra: readonly string[] = [],
  token = sandbox.token,
): Run {
  return ferry(
    [
      'watch',
      folder,
      '--endpoint',
      `${sandbox.endpoint}/v1/uploads`,
      '--profile',
      'lexer',
      '--state-dir',
      stateDir,
      '--settle',
      '0.3',
      ...extra,
    ],
    { FERRY_TOKEN: token },
  );
}

export async function watchOnce(
  sandbox: RunningSandbox,
  folder: string,
  stateDir: string,
  extra: readonly string[] = [],
  token = sandbox.token,
) {
  const run = watch(sandbox, folder, stateDir, ['--once', ...extra], token);
  return { code: await run.exited, output: run.output() };
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Writes `count` well-named CSV files; returns name → sha256. */
export async function dropFiles(
  folder: string,
  prefix: string,
  count: number,
  size: number,
): Promise<Map<string, string>> {
  const expected = new Map<string, string>();
  for (let i = 0; i < count; i += 1) {
    const name = `${prefix}${i}-2024-06-12-v1.csv`;
    const bytes = Buffer.concat([
      Buffer.from('id,payload\n'),
      Buffer.from(`${i},${randomBytes(size).toString('hex')}\n`),
    ]);
    await writeFile(join(folder, name), bytes);
    expected.set(name, sha256(bytes));
  }
  return expected;
}

/** How many times each expected file arrived at the sandbox, and how many copies had other bytes. */
export async function arrivals(sandbox: RunningSandbox, expected: ReadonlyMap<string, string>) {
  const counts = new Map<string, number>();
  let wrongBytes = 0;
  for (const delivery of await sandbox.deliveries()) {
    if (!expected.has(delivery.filename)) continue;
    counts.set(delivery.filename, (counts.get(delivery.filename) ?? 0) + 1);
    if (expected.get(delivery.filename) !== delivery.sha256) wrongBytes += 1;
  }
  return { counts, wrongBytes };
}
