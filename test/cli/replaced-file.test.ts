import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { ferry, ferrySync, sha256, watch, type Run } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * A file replaced while it is being delivered, as exporters do it (written under a temporary
 * name, then renamed over the old one): the vendor never completes the superseded version
 * when Ferry can still stop it, and when it cannot, both deliveries are on record.
 */
const tempDir = useTempDir('replaced');
const NAME = 'sales-2024-06-12-v1.csv';
const MIB = 1024 * 1024;

let sandbox: RunningSandbox | undefined;
let agent: Run | undefined;

afterEach(async () => {
  agent?.child.kill('SIGTERM');
  await agent?.exited;
  agent = undefined;
  await sandbox?.close();
  sandbox = undefined;
});

/** A valid CSV of about `bytes`, different every call. */
function csv(bytes: number): Buffer {
  const rows: Buffer[] = [Buffer.from('id,payload\n')];
  for (let i = 0, size = 11; size < bytes; i += 1) {
    const row = Buffer.from(`${i},${randomBytes(1024).toString('hex')}\n`);
    rows.push(row);
    size += row.length;
  }
  return Buffer.concat(rows);
}

/** Replaced the way most exporters do it: a temporary name, then a rename over the file. */
async function replace(folder: string, bytes: Buffer): Promise<void> {
  const temporary = join(folder, `.${NAME}.tmp`);
  await writeFile(temporary, bytes);
  await rename(temporary, join(folder, NAME));
}

interface JobLine {
  readonly id: string;
  readonly status: string;
  readonly size: number | null;
  readonly sent: number;
  readonly sha256?: string;
  readonly remoteId?: string;
  readonly superseded?: readonly { remoteId: string; size: number; sha256?: string }[];
}

function jobs(stateDir: string): JobLine[] {
  const { code, stdout } = ferrySync(['jobs', '--state-dir', stateDir, '--json']);
  expect(code).toBe(0);
  return JSON.parse(stdout) as JobLine[];
}

async function received(name: string) {
  return ((await sandbox?.deliveries()) ?? []).filter((d) => d.filename === name);
}

async function ledger(stateDir: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(stateDir, 'delivered.ledger'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const POLL = { timeout: 30_000, interval: 100 };

describe('a file replaced during its upload', () => {
  it('stops the PUT of the old version at once and delivers only the new one', async () => {
    sandbox = await startSandbox({ port: 0, log: () => undefined });
    const folder = await tempDir();
    const stateDir = await tempDir();
    const old = csv(20 * MIB);
    await writeFile(join(folder, NAME), old);
    agent = watch(sandbox, folder, stateDir, ['--limit-rate', '4M']);
    await expect.poll(() => jobs(stateDir)[0]?.sent ?? 0, POLL).toBeGreaterThan(2 * MIB);

    const next = csv(15 * MIB);
    await replace(folder, next);

    await expect.poll(() => jobs(stateDir)[0]?.status, POLL).toBe('completed');
    const arrived = await received(NAME);
    expect(arrived.map((d) => d.sha256)).toEqual([sha256(next)]);
    const [job] = jobs(stateDir);
    expect(job).toMatchObject({ size: next.length, sha256: sha256(next) });
    expect(job?.superseded).toBeUndefined();
  });

  it('records a version the vendor took before the change was seen, then delivers the new one', async () => {
    // The vendor stores the PUT, then answers 3 s later: the change lands in between.
    sandbox = await startSandbox({ port: 0, answerDelayMs: 3_000, log: () => undefined });
    const folder = await tempDir();
    const stateDir = await tempDir();
    const old = csv(64 * 1024);
    await writeFile(join(folder, NAME), old);
    agent = watch(sandbox, folder, stateDir);
    await expect.poll(async () => (await received(NAME)).length, POLL).toBe(1);

    const next = csv(48 * 1024);
    await replace(folder, next);

    await expect
      .poll(() => jobs(stateDir)[0], POLL)
      .toMatchObject({ status: 'completed', size: next.length, sha256: sha256(next) });
    const [oldDelivery, newDelivery] = await received(NAME);
    expect([oldDelivery?.sha256, newDelivery?.sha256]).toEqual([sha256(old), sha256(next)]);
    const [job] = jobs(stateDir);
    expect(job?.superseded).toEqual([
      { remoteId: expect.any(String) as unknown, size: old.length, sha256: sha256(old) },
    ]);
    expect(job?.superseded?.[0]?.remoteId).not.toBe(job?.remoteId);
    const entries = await ledger(stateDir);
    expect(entries.map((e) => [e.sha256, e.superseded])).toEqual([
      [sha256(old), true],
      [sha256(next), undefined],
    ]);
  });

  it('aborts the multipart upload of the old version, so no part of it stays at the vendor', async () => {
    sandbox = await startSandbox({ port: 0, log: () => undefined });
    const folder = await tempDir();
    const stateDir = await tempDir();
    await writeFile(join(folder, NAME), csv(30 * MIB));
    agent = ferry(
      [
        'watch',
        folder,
        '--endpoint',
        `${sandbox.endpoint}/v1/multipart`,
        '--profile',
        's3-multipart',
        '--state-dir',
        stateDir,
        '--settle',
        '0.3',
        '--limit-rate',
        '4M',
      ],
      { FERRY_TOKEN: sandbox.token },
    );
    await expect.poll(() => jobs(stateDir)[0]?.sent ?? 0, POLL).toBeGreaterThan(2 * MIB);
    expect(await sandbox.openUploads()).toHaveLength(1);

    const next = csv(12 * MIB);
    await replace(folder, next);

    await expect.poll(() => jobs(stateDir)[0]?.status, POLL).toBe('completed');
    expect((await received(NAME)).map((d) => d.sha256)).toEqual([sha256(next)]);
    expect(await sandbox.openUploads()).toEqual([]);
    expect(jobs(stateDir)[0]).toMatchObject({ size: next.length, sha256: sha256(next) });
  });
});
