import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { ferrySync, sha256, watchOnce } from '../support/ferry-cli.js';

/**
 * Delivery receipts against the vendor's own record: `ferry history --format csv` over a run of
 * 20 deliveries, parsed by a CSV library as a spreadsheet would, agrees with what the sandbox
 * says it received, day by day.
 */
let sandbox: RunningSandbox;
let base: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  // A comma and a quote in the folder's name: the CSV must quote them, as RFC 4180 asks.
  base = await mkdtemp(join(tmpdir(), 'ferry-history,"q"-'));
});

afterAll(async () => {
  await sandbox.close();
  await rm(base, { recursive: true, force: true });
});

async function sandboxGet<T>(path: string): Promise<T> {
  const answer = await fetch(`${sandbox.endpoint}${path}`, { headers: { 'Auth-Api-Token': sandbox.token } });
  expect(answer.status).toBe(200);
  return (await answer.json()) as T;
}

/** A record of the CSV, by its header. */
type Row = Record<
  | 'delivered_at'
  | 'file'
  | 'folder'
  | 'target'
  | 'size'
  | 'sha256'
  | 'remote_id'
  | 'attempts'
  | 'redelivery_of',
  string
>;

interface Arrived {
  readonly filename: string;
  readonly size: number;
  readonly sha256: string;
}

/** Everything the sandbox received, asked for one day at a time. */
async function receivedByDay(): Promise<Arrived[]> {
  const { days } = await sandboxGet<{ days: { date: string; files: number }[] }>('/sandbox/days');
  const all: Arrived[] = [];
  for (const day of days) {
    const { deliveries } = await sandboxGet<{ deliveries: Arrived[] }>(
      `/sandbox/deliveries?date=${day.date}`,
    );
    expect(deliveries).toHaveLength(day.files);
    all.push(...deliveries);
  }
  return all;
}

/** One `ferry watch --once` over the folder, which must deliver everything in it. */
async function deliverAll(folder: string, stateDir: string) {
  const { code, output } = await watchOnce(sandbox, folder, stateDir);
  expect(code, output).toBe(0);
}

describe('ferry history', () => {
  it('prints a receipt per delivery that matches what the vendor received, as CSV a spreadsheet reads', async () => {
    const folder = join(base, 'out');
    const stateDir = join(base, 'state');
    await mkdir(folder);
    const sent = new Map<string, { size: number; sha256: string }>();
    const drop = async (name: string, body: string) => {
      await writeFile(join(folder, name), body);
      sent.set(name, { size: Buffer.byteLength(body), sha256: sha256(Buffer.from(body)) });
    };
    for (let i = 0; i < 18; i += 1) await drop(`feed${i}-2026-12-03-v1.csv`, `id,value\n${i},"a, b"\n`);
    await deliverAll(folder, stateDir);
    // Two corrected files: the same descriptor and date, a higher version.
    await drop('feed3-2026-12-03-v2.csv', 'id,value\n3,fixed\n');
    await drop('feed7-20261203-v2.csv', 'id,value\n7,fixed\n');
    await deliverAll(folder, stateDir);

    const csv = ferrySync(['history', '--format', 'csv', '--state-dir', stateDir]);
    expect(csv.code).toBe(0);
    expect(csv.stdout.endsWith('\r\n')).toBe(true);
    const rows = parse<Row>(csv.stdout, { columns: true });
    expect(rows).toHaveLength(20);
    for (const row of rows) {
      expect(row.folder).toBe(folder);
      expect(row.target).toBe('default');
      expect(row.delivered_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Number(row.attempts)).toBe(1);
      expect(row.remote_id).not.toBe('');
    }
    const redeliveries = Object.fromEntries(
      rows.filter((row) => row.redelivery_of !== '').map((row) => [row.file, row.redelivery_of]),
    );
    expect(redeliveries).toEqual({
      'feed3-2026-12-03-v2.csv': 'feed3-2026-12-03-v1.csv',
      'feed7-20261203-v2.csv': 'feed7-2026-12-03-v1.csv',
    });

    const fromHistory = rows.map((row) => ({
      filename: row.file,
      size: Number(row.size),
      sha256: row.sha256,
    }));
    const received = (await receivedByDay()).map(({ filename, size, sha256 }) => ({
      filename,
      size,
      sha256,
    }));
    const byName = (a: { filename: string }, b: { filename: string }) => a.filename.localeCompare(b.filename);
    expect(fromHistory.sort(byName)).toEqual(received.sort(byName));
    expect(fromHistory.sort(byName)).toEqual(
      [...sent].map(([filename, facts]) => ({ filename, ...facts })).sort(byName),
    );

    // The same receipts as JSON, and filtered.
    const json = JSON.parse(ferrySync(['history', '--format', 'json', '--state-dir', stateDir]).stdout) as {
      file: string;
    }[];
    expect(json.map((r) => r.file).sort()).toEqual(fromHistory.map((r) => r.filename).sort());
    const none = ferrySync(['history', '--format', 'json', '--state-dir', stateDir, '--target', 'other']);
    expect(JSON.parse(none.stdout)).toEqual([]);
    const bad = ferrySync(['history', '--since', 'yesterday', '--state-dir', stateDir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--since must be a date (2026-12-03) or an ISO 8601 time, got 'yesterday'");
  });
});
