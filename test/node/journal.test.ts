import { appendFile, open, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_ATTEMPT_HISTORY, type JobRecord } from '../../src/engine/job-store.js';
import { JOURNAL_FILE, JobJournal } from '../../src/node/journal.js';
import type { JobState } from '../../src/shared/job.js';
import { requireBuilt, spawnNode } from '../support/child-process.js';
import { describeJobStoreContract, jobRecord } from '../support/job-store-contract.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('journal');

const job = jobRecord;

const queued: JobState = { status: 'queued' };
const completed = (remoteId: string): JobState => ({ status: 'completed', remoteId });

async function loaded(dir: string) {
  const journal = new JobJournal(dir);
  const snapshot = await journal.load();
  return { journal, ...snapshot };
}

/** Saves through a journal and closes it, as a previous run of the agent would. */
async function previousRun(dir: string, write: (journal: JobJournal) => Promise<void>): Promise<void> {
  const { journal } = await loaded(dir);
  await write(journal);
  await journal.close();
}

const journalLines = async (dir: string) =>
  (await readFile(join(dir, JOURNAL_FILE), 'utf8')).split('\n').filter((line) => line !== '');

describe('JobJournal', () => {
  describeJobStoreContract(async () => {
    const dir = await tempDir();
    return () => new JobJournal(dir);
  });

  it('starts empty and creates the journal file', async () => {
    const dir = await tempDir();
    const { journal, records, replay } = await loaded(dir);
    await journal.close();
    expect(records).toEqual([]);
    expect(replay).toEqual({ entries: 0, skipped: 0, tornTail: false, live: 0 });
    expect((await stat(join(dir, JOURNAL_FILE))).size).toBe(0);
  });

  it("keeps a completed job's receipt, and still reads completed records written without one", async () => {
    const dir = await tempDir();
    const receipt: JobState = {
      status: 'completed',
      remoteId: 'file-1',
      statistics: { rows: 12_345, columns: 8 },
      taskId: 'task-1',
    };
    // 'a' as an earlier Ferry wrote it; 'c' with statistics that are not an object: damaged.
    const lines = [
      { put: job('a', completed('r-a')) },
      { put: job('b', receipt) },
      { put: job('c', { status: 'completed', remoteId: 'r-c', statistics: 'many' } as unknown as JobState) },
    ];
    await writeFile(join(dir, JOURNAL_FILE), lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
    const { journal, records, replay } = await loaded(dir);
    await journal.close();
    expect(records).toEqual([job('a', completed('r-a')), job('b', receipt)]);
    expect(replay.skipped).toBe(1);
  });

  it('loses nothing but the torn record when the last write was cut short', async () => {
    const dir = await tempDir();
    await previousRun(dir, async (journal) => {
      await journal.save(job('a', completed('r-a')));
      await journal.save(job('b', queued));
    });
    // A crash in the middle of writing b's next state.
    const line = JSON.stringify({ put: job('b', { status: 'uploading', sent: 1, total: 2 }) });
    await appendFile(join(dir, JOURNAL_FILE), line.slice(0, line.length - 7));

    const { journal, records, replay } = await loaded(dir);
    expect(records).toEqual([job('a', completed('r-a')), job('b', queued)]);
    expect(replay).toEqual({ entries: 3, skipped: 1, tornTail: true, live: 2 });

    // The torn bytes are gone, so the next line is not glued onto them.
    await journal.save(job('c', queued));
    await journal.close();
    const again = await loaded(dir);
    await again.journal.close();
    expect(again.records.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(again.replay.skipped).toBe(0);
  });

  it('keeps a last record that lacks only its newline', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, JOURNAL_FILE), JSON.stringify({ put: job('a', queued) }));
    const { journal, records, replay } = await loaded(dir);
    await journal.save(job('b', queued));
    await journal.close();
    expect(records).toEqual([job('a', queued)]);
    expect(replay.tornTail).toBe(false);
    expect(await journalLines(dir)).toHaveLength(2);
  });

  it('skips damaged lines in the middle and counts them', async () => {
    const dir = await tempDir();
    const put = (record: JobRecord) => JSON.stringify({ put: record });
    await writeFile(
      join(dir, JOURNAL_FILE),
      [
        put(job('a', queued)),
        '{"put":{"id":"a","state":{"status":"queu', // torn, then written after
        'not json at all \u0000\u00ff',
        put(job('b', queued)),
        JSON.stringify({ put: { ...job('c', queued), state: { status: 'exploded' } } }),
        JSON.stringify({ put: { ...job('d', queued), attempts: '3' } }),
        JSON.stringify({ delete: 'a' }),
        '42',
        '',
        put(job('a', completed('r-a'))),
        '',
      ].join('\n'),
    );
    const { journal, records, replay } = await loaded(dir);
    await journal.close();
    expect(records).toEqual([job('a', completed('r-a')), job('b', queued)]);
    expect(replay).toEqual({ entries: 9, skipped: 6, tornTail: false, live: 2 });
  });

  it('compacts the journal on load to one line per live job', async () => {
    const dir = await tempDir();
    await previousRun(dir, async (journal) => {
      for (let i = 0; i < 100; i += 1) {
        const id = `job-${i}`;
        await journal.save(job(id, queued));
        for (let sent = 1; sent <= 8; sent += 1) {
          await journal.save(job(id, { status: 'uploading', sent, total: 8 }));
        }
        if (i % 10 === 0) await journal.remove(id);
        else await journal.save(job(id, completed(`r-${i}`)));
      }
    });
    const before = (await stat(join(dir, JOURNAL_FILE))).size;
    const { journal, records, replay } = await loaded(dir);
    await journal.close();
    const after = (await stat(join(dir, JOURNAL_FILE))).size;

    expect(replay).toEqual({ entries: 1_000, skipped: 0, tornTail: false, live: 90 });
    expect(after).toBeLessThan(before / 9);
    const lines = await journalLines(dir);
    expect(lines).toHaveLength(90);
    expect(lines.map((line) => (JSON.parse(line) as { put: JobRecord }).put)).toEqual(records);
    expect(await readFile(join(dir, `${JOURNAL_FILE}.tmp`)).catch(() => 'no temporary file')).toBe(
      'no temporary file',
    );

    const again = await loaded(dir);
    await again.journal.close();
    expect(again.records).toEqual(records);
  });

  it('never interleaves the bytes of concurrent saves', async () => {
    const dir = await tempDir();
    const message = 'x'.repeat(4_000);
    const error = { kind: 'server', message };
    const history = Array.from({ length: MAX_ATTEMPT_HISTORY }, (_, at) => ({ at, outcome: 'retry', error }));
    const saved = Array.from({ length: 300 }, (_, i) =>
      job(`job-${i}`, { status: 'failed', error }, { attempts: 20, history }),
    );
    await previousRun(dir, async (journal) => {
      await Promise.all(saved.map((record) => journal.save(record)));
    });
    for (const line of await journalLines(dir)) expect(() => JSON.parse(line) as unknown).not.toThrow();
    const { journal, records, replay } = await loaded(dir);
    await journal.close();
    expect(replay.skipped).toBe(0);
    expect(records).toEqual(saved);
  });

  it('syncs terminal states to the disk before their save resolves, and only those', async () => {
    const dir = await tempDir();
    const { journal } = await loaded(dir);
    const probe = await open(join(dir, 'probe'), 'w');
    const fileHandle = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const datasync = vi.spyOn(fileHandle, 'datasync');
    try {
      await journal.save(job('a', queued));
      await journal.save(job('a', { status: 'uploading', sent: 1, total: 2 }));
      expect(datasync).not.toHaveBeenCalled();
      await journal.save(job('a', completed('r-a')));
      expect(datasync).toHaveBeenCalledTimes(1);
      await journal.save(job('b', { status: 'rejected', reason: 'empty file' }));
      await journal.save(job('c', { status: 'failed', error: { kind: 'client', message: 'HTTP 400' } }));
      await journal.remove('a');
      expect(datasync).toHaveBeenCalledTimes(4);
    } finally {
      datasync.mockRestore();
      await journal.close();
    }
  });

  it('replays 10,000 jobs of several events each correctly', async () => {
    const dir = await tempDir();
    const jobs = 10_000;
    const expected: JobRecord[] = [];
    await previousRun(dir, async (journal) => {
      const saves: Promise<void>[] = [];
      for (let i = 0; i < jobs; i += 1) {
        const id = `job-${i}`;
        saves.push(journal.save(job(id, { status: 'waiting-for-write' })));
        saves.push(journal.save(job(id, queued, { updatedAt: 2 })));
        saves.push(journal.save(job(id, { status: 'uploading', sent: i, total: jobs }, { updatedAt: 3 })));
        const last = job(id, i % 3 === 0 ? completed(`r-${i}`) : { status: 'processing' }, { updatedAt: 4 });
        saves.push(journal.save(last));
        expected.push(last);
      }
      await Promise.all(saves);
    });
    const { journal, records, replay } = await loaded(dir);
    await journal.close();
    expect(replay).toEqual({ entries: 4 * jobs, skipped: 0, tornTail: false, live: jobs });
    expect(records).toEqual(expected);
    expect(await journalLines(dir)).toHaveLength(jobs);
  });

  describe('after the agent is killed mid-write', () => {
    beforeAll(() => {
      requireBuilt('dist/node/journal.js');
    });

    it('still holds every record whose terminal save had resolved', async () => {
      const dir = await tempDir();
      const child = spawnNode('test/node/children/journal-writer.js', [dir]);
      await child.waitForLine((line) => line === 'job-600');
      child.process.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');
      const confirmed = child.lines.slice();

      const { journal, records, replay } = await loaded(dir);
      await journal.close();
      const byId = new Map(records.map((record) => [record.id, record]));
      expect(confirmed.length).toBeGreaterThan(600);
      for (const id of confirmed) {
        expect(byId.get(id)?.state).toEqual(completed(`remote-${id.slice('job-'.length)}`));
      }
      // Whatever was in flight survives whole, in some state the child saved, or is dropped as torn.
      expect(replay.skipped).toBe(replay.tornTail ? 1 : 0);
      for (const record of records) expect(record.history).toHaveLength(20);
    });
  });
});
