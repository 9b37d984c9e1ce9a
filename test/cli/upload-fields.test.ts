import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { ferry, ferryRun } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * `--field key=value` gives folder fields on the command line, so a profile whose request
 * needs one (analytics: {datasetType}) works without a config file.
 */
let sandbox: RunningSandbox;
const tempDir = useTempDir('fields');

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, log: () => undefined });
});

afterAll(async () => {
  await sandbox.close();
});

const NAME = 'transactions-2025-01-01-v1.csv';

async function fileIn(dir: string): Promise<string> {
  const path = join(dir, NAME);
  await writeFile(path, 'date,amount\n2025-01-01,10\n');
  return path;
}

/** What the analytics API holds for a file id: its datasetType among the rest. */
async function analyticsFile(id: string): Promise<{ datasetType?: string; status?: string }> {
  const answer = await fetch(`${sandbox.endpoint}/analytics/files/${id}`, {
    headers: { 'auth-api-token': sandbox.token },
  });
  return (await answer.json()) as { datasetType?: string };
}

describe('--field', () => {
  it('fills the analytics request of ferry upload without a config file', async () => {
    const file = await fileIn(await tempDir());
    const endpoint = `${sandbox.endpoint}/analytics/files/upload`;
    const args = ['upload', file, '--endpoint', endpoint, '--profile', 'analytics', '--json'];

    const without = await ferryRun(args, { FERRY_TOKEN: sandbox.token });
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('uses {datasetType} in its request body');
    expect(without.stderr).toContain('give --field datasetType=<value>');

    const run = await ferryRun([...args, '--field', 'datasetType=transactions'], {
      FERRY_TOKEN: sandbox.token,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [record] = JSON.parse(run.stdout) as { status: string; remoteId: string }[];
    expect(record?.status).toBe('completed');
    expect(await analyticsFile(record?.remoteId ?? '')).toMatchObject({
      datasetType: 'transactions',
      status: 'Completed',
    });
  });

  it('gives every folder of ferry watch the field, and refuses one that is not key=value', async () => {
    const dir = await tempDir();
    const folder = join(dir, 'out');
    await mkdir(folder);
    await fileIn(folder);
    const watchArgs = [
      'watch',
      folder,
      '--endpoint',
      `${sandbox.endpoint}/analytics/files/upload`,
      '--profile',
      'analytics',
      '--once',
      '--settle',
      '0.3',
      '--state-dir',
      join(dir, 'state'),
      '--json',
    ];
    const bad = await ferryRun([...watchArgs, '--field', 'datasetType'], { FERRY_TOKEN: sandbox.token });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--field takes key=value');

    const run = ferry([...watchArgs, '--field', 'datasetType=orders'], { FERRY_TOKEN: sandbox.token });
    expect(await run.exited, run.output()).toBe(0);
    const completed = run
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { event: string; status?: string; state?: { remoteId?: string } })
      .find((event) => event.event === 'job' && event.status === 'completed');
    expect(await analyticsFile(completed?.state?.remoteId ?? '')).toMatchObject({ datasetType: 'orders' });
  });
});
