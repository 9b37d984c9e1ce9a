import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { ferry, sha256 } from '../support/ferry-cli.js';

const NAME = 'orders-2024-06-12-v1.csv';
let dir = '';
let sandbox: RunningSandbox;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-limit-'));
  sandbox = await startSandbox({ port: 0, log: () => undefined });
});

afterEach(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

async function upload(limit: string) {
  const run = ferry(
    [
      'upload',
      '--endpoint',
      `${sandbox.endpoint}/v1/uploads`,
      '--profile',
      'lexer',
      '--limit-rate',
      limit,
      join(dir, NAME),
    ],
    { FERRY_TOKEN: sandbox.token, HTTP_PROXY: '', http_proxy: '' },
  );
  return { code: await run.exited, output: run.output() };
}

describe('ferry upload --limit-rate', () => {
  it('sends no faster than the cap', async () => {
    const bytes = randomBytes(2 * 1024 * 1024);
    await writeFile(join(dir, NAME), bytes);
    const started = performance.now();
    const { code } = await upload('1M');
    const seconds = (performance.now() - started) / 1_000;
    expect(code).toBe(0);
    // 2 MiB at 1 MiB/s: about 2 s, less the first slice that goes at once.
    expect(seconds).toBeGreaterThan(1.7);
    expect((await sandbox.deliveries()).map((d) => d.sha256)).toEqual([sha256(bytes)]);
  });

  it('refuses a rate it cannot read', async () => {
    await writeFile(join(dir, NAME), 'id\n1\n');
    const { code, output } = await upload('fast');
    expect(code).toBe(2);
    expect(output).toContain("--limit-rate: 'fast' is not a rate");
  });
});
