import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { dropFiles, ferrySync, sha256, watch, watchOnce, type Run } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

/** `ferry watch` as a user runs it (the built binary) on a rate cap and through an outage. */
const tempDir = useTempDir('watch-net');
let sandbox: RunningSandbox | undefined;
let running: Run | undefined;

afterEach(async () => {
  if (running?.child.exitCode === null) {
    running.child.kill('SIGINT');
    await running.exited;
  }
  running = undefined;
  await sandbox?.close();
  sandbox = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => boolean, output: () => string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await sleep(50);
  }
}

/** A CSV of about `size` bytes, so the content check passes. */
function csv(size: number): Buffer {
  const row = `1,${'x'.repeat(98)}\n`;
  return Buffer.from(`id,payload\n${row.repeat(Math.ceil(size / row.length))}`);
}

describe('ferry watch --limit-rate', () => {
  it('sends no faster than the cap', async () => {
    sandbox = await startSandbox({ port: 0, log: () => undefined });
    const folder = await tempDir();
    const bytes = csv(3 * 1024 * 1024);
    await writeFile(join(folder, 'capped-2024-06-12-v1.csv'), bytes);
    const started = performance.now();
    const { code, output } = await watchOnce(sandbox, folder, await tempDir(), ['--limit-rate', '1M']);
    const seconds = (performance.now() - started) / 1_000;
    expect(code, output).toBe(0);
    // 3 MiB at 1 MiB/s: about 3 s, less the first slice that goes at once. Uncapped, the whole
    // run (start, settle, hash, upload) takes about 1.2 s on loopback.
    expect(seconds).toBeGreaterThan(2.6);
    expect((await sandbox.deliveries()).map((d) => d.sha256)).toEqual([sha256(bytes)]);
  });

  it('refuses a rate it cannot read, before it starts', async () => {
    sandbox = await startSandbox({ port: 0, log: () => undefined });
    const { code, output } = await watchOnce(sandbox, await tempDir(), await tempDir(), [
      '--limit-rate',
      'fast',
    ]);
    expect(code).toBe(2);
    expect(output).toContain("--limit-rate: 'fast' is not a rate");
  });
});

describe('ferry watch while the vendor is unreachable', () => {
  it('prints "offline — waiting" instead of failures, `ferry jobs` says so, and all is delivered once it is back', async () => {
    const dataDir = await tempDir();
    sandbox = await startSandbox({ port: 0, dataDir, log: () => undefined });
    const vendor = sandbox;
    const port = Number(new URL(vendor.endpoint).port);
    await vendor.close();
    sandbox = undefined;

    const folder = await tempDir();
    const stateDir = await tempDir();
    const run = watch(vendor, folder, stateDir);
    running = run;
    const expected = await dropFiles(folder, 'outage', 3, 200);

    await until('the offline line', () => run.output().includes('offline — waiting for default'), run.output);
    const jobs = ferrySync(['jobs', '--state-dir', stateDir]);
    expect(jobs.stdout).toMatch(/^offline — waiting for default to answer \(3 jobs waiting\)$/m);
    expect(jobs.stdout).toContain('offline — waiting for default\n');
    const json = JSON.parse(ferrySync(['jobs', '--json', '--state-dir', stateDir]).stdout) as {
      status: string;
      offline?: boolean;
    }[];
    expect(json.filter((j) => j.status === 'retry-wait').every((j) => j.offline === true)).toBe(true);

    sandbox = await startSandbox({ port, dataDir, token: vendor.token, log: () => undefined });
    await until(
      'three deliveries',
      () =>
        run
          .output()
          .split('\n')
          .filter((l) => l.startsWith('✓ delivered')).length === 3,
      run.output,
    );
    const output = run.output();
    expect(output).toContain('✓ back online: default');
    // Waiting is not failing, and not a string of retries either.
    expect(output).not.toMatch(/✗ failed|… retrying/);
    const arrived = await sandbox.deliveries();
    expect(new Map(arrived.map((d) => [d.filename, d.sha256]))).toEqual(expected);
  }, 60_000);
});
