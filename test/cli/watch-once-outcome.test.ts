import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { dropFiles, watchOnce } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * `ferry watch --once` ends with one summary line, and a second run over a folder whose refused
 * files are still there, unchanged, tells them again and exits 1 instead of passing in silence.
 */
let sandbox: RunningSandbox;
const tempDir = useTempDir('watch-once');

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, log: () => undefined });
});

afterAll(async () => {
  await sandbox.close();
});

/** A folder Lexer can load from: no warning about dataset_id and record_type in the output. */
const FIELDS = ['--field', 'dataset_id=ds-1', '--field', 'record_type=customer_record'];
const BAD = ['Bad Name 2024-06-12 v1.csv', 'sales-2024-02-30-v1.csv'];

describe('ferry watch --once', () => {
  it('sums up the run, and tells the still refused files again on the next run with exit 1', async () => {
    const folder = await tempDir();
    const stateDir = await tempDir();
    await dropFiles(folder, 'good', 3, 50);
    for (const name of BAD) await writeFile(join(folder, name), 'id\n1\n');

    const first = await watchOnce(sandbox, folder, stateDir, FIELDS);
    expect(first.code).toBe(1);
    expect(first.output.trimEnd().split('\n').at(-1)).toBe('5 files: 3 delivered, 2 rejected, 0 failed');

    const second = await watchOnce(sandbox, folder, stateDir, FIELDS);
    expect(second.code).toBe(1);
    expect(second.output.split('\n').filter((line) => line !== '')).toEqual([
      expect.stringMatching(
        /^✗ still rejected {2}Bad Name 2024-06-12 v1\.csv: bad-character: name contains a space/,
      ),
      expect.stringMatching(
        /^✗ still rejected {2}sales-2024-02-30-v1\.csv: bad-date: '2024-02-30' is not a real date/,
      ),
      '5 files: 0 delivered, 3 delivered before, 2 rejected, 0 failed',
    ]);

    const json = await watchOnce(sandbox, folder, stateDir, [...FIELDS, '--json']);
    expect(json.code).toBe(1);
    const events = json.output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.filter((e) => e.still === true).map((e) => [e.status, e.file])).toEqual(
      BAD.map((name) => ['rejected', join(folder, name)]),
    );
    expect(events.at(-1)).toEqual({
      event: 'summary',
      files: 5,
      delivered: 0,
      deliveredBefore: 3,
      rejected: 2,
      failed: 0,
      waiting: 0,
    });

    for (const name of BAD) await rm(join(folder, name));
    const cleared = await watchOnce(sandbox, folder, stateDir, FIELDS);
    expect(cleared.code).toBe(0);
    expect(cleared.output).toBe('3 files: 0 delivered, 3 delivered before, 0 rejected, 0 failed\n');
  });
});
