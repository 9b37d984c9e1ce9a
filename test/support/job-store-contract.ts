import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPT_HISTORY, type JobRecord, type JobStore } from '../../src/engine/job-store.js';
import type { JobError, JobState } from '../../src/shared/job.js';

export function jobRecord(id: string, state: JobState, extra: Partial<JobRecord> = {}): JobRecord {
  return {
    id,
    path: `/watch/${id}-2024-06-12-v1.csv`,
    target: 'lexer',
    state,
    attempts: 0,
    history: [],
    createdAt: 1_000,
    updatedAt: 2_000,
    ...extra,
  };
}

/**
 * What every JobStore must do, run against the journal and the in-memory fake alike, so that
 * engine tests on the fake hold for the real thing. `stores` gives a fresh, empty persistence;
 * each store it then makes sees what the previous ones saved, like an agent restarting.
 */
export function describeJobStoreContract(stores: () => Promise<() => JobStore>): void {
  const error: JobError = { kind: 'server', message: 'HTTP 503 Service Unavailable' };

  async function reload(store: () => JobStore) {
    const next = store();
    const snapshot = await next.load();
    await next.close();
    return snapshot.records;
  }

  async function run(store: () => JobStore, write: (store: JobStore) => Promise<void>) {
    const current = store();
    await current.load();
    await write(current);
    await current.close();
  }

  describe('the JobStore contract', () => {
    it('starts with no jobs', async () => {
      expect(await reload(await stores())).toEqual([]);
    });

    it('returns every record saved, every field intact, in the order jobs were first saved', async () => {
      const store = await stores();
      const saved = [
        jobRecord(
          'b',
          { status: 'queued' },
          { folder: '/watch', size: 12, mtimeMs: 1.5, sha256: 'ab'.repeat(32) },
        ),
        jobRecord(
          'a',
          { status: 'retry-wait', at: 9_000, attempt: 2, error },
          {
            attempts: 2,
            history: [
              { at: 3_000, outcome: 'attempt-failed', error },
              { at: 6_000, outcome: 'timeout' },
            ],
          },
        ),
        jobRecord('c', { status: 'uploading', sent: 5, total: 10 }),
        jobRecord('d', { status: 'failed', error }),
        jobRecord('e', { status: 'rejected', reason: "bad-date: '2024-02-30' is not a real date" }),
        jobRecord('f', { status: 'paused' }),
        jobRecord('g', { status: 'completed', remoteId: 'remote-1' }),
      ];
      await run(store, async (s) => {
        for (const record of saved) await s.save(record);
      });
      expect(await reload(store)).toEqual(saved);
    });

    it('keeps the last record saved for a job, in its first place', async () => {
      const store = await stores();
      const last = jobRecord('a', { status: 'completed', remoteId: 'r-a' }, { updatedAt: 4_000 });
      await run(store, async (s) => {
        await s.save(jobRecord('a', { status: 'queued' }));
        await s.save(jobRecord('b', { status: 'queued' }));
        await s.save(jobRecord('a', { status: 'requesting-url' }, { updatedAt: 3_000 }));
        await s.save(last);
      });
      expect(await reload(store)).toEqual([last, jobRecord('b', { status: 'queued' })]);
    });

    it('forgets removed jobs for good', async () => {
      const store = await stores();
      await run(store, async (s) => {
        await s.save(jobRecord('a', { status: 'queued' }));
        await s.save(jobRecord('b', { status: 'queued' }));
        await s.remove('a');
        await s.remove('never-saved');
      });
      expect((await reload(store)).map((r) => r.id)).toEqual(['b']);
      expect((await reload(store)).map((r) => r.id)).toEqual(['b']);
    });

    it('applies saves and removes made without waiting in call order', async () => {
      const store = await stores();
      await run(store, async (s) => {
        await Promise.all([
          s.save(jobRecord('a', { status: 'queued' })),
          s.remove('a'),
          s.save(jobRecord('b', { status: 'queued' })),
          s.save(jobRecord('b', { status: 'requesting-url' })),
        ]);
      });
      expect(await reload(store)).toEqual([jobRecord('b', { status: 'requesting-url' })]);
    });

    it('stores only the latest attempts of a long history, and the count of all', async () => {
      const store = await stores();
      const history = Array.from({ length: MAX_ATTEMPT_HISTORY + 10 }, (_, at) => ({ at, outcome: 'retry' }));
      await run(store, (s) =>
        s.save(jobRecord('a', { status: 'queued' }, { attempts: history.length, history })),
      );
      const [record] = await reload(store);
      expect(record?.attempts).toBe(MAX_ATTEMPT_HISTORY + 10);
      expect(record?.history).toEqual(history.slice(-MAX_ATTEMPT_HISTORY));
    });

    it('keeps intents, in order, until a newer record of their job retires them', async () => {
      const store = await stores();
      await run(store, async (s) => {
        await s.save(jobRecord('a', { status: 'failed', error }));
        await s.save(jobRecord('b', { status: 'queued' }));
        await s.addIntent('a', { type: 'retry', force: true });
        await s.addIntent('b', { type: 'pause' });
        await s.addIntent('b', { type: 'resume' });
        // An intent for a job the store does not hold is dropped.
        await s.addIntent('ghost', { type: 'retry' });
      });
      const first = store();
      const snapshot = await first.load();
      expect(snapshot.intents).toEqual([
        { id: 'a', intent: { type: 'retry', force: true } },
        { id: 'b', intent: { type: 'pause' } },
        { id: 'b', intent: { type: 'resume' } },
      ]);
      // Carried out: the job's next record retires its intents, and only its own.
      await first.save(jobRecord('a', { status: 'waiting-for-write' }));
      await first.close();
      const second = store();
      expect((await second.load()).intents).toEqual([
        { id: 'b', intent: { type: 'pause' } },
        { id: 'b', intent: { type: 'resume' } },
      ]);
      await second.remove('b');
      await second.close();
      const third = store();
      expect((await third.load()).intents).toEqual([]);
      await third.close();
    });

    it('refuses writes before load and after close, and a second load', async () => {
      const store = (await stores())();
      await expect(store.save(jobRecord('a', { status: 'queued' }))).rejects.toThrow();
      await store.load();
      await expect(store.load()).rejects.toThrow();
      await store.close();
      await expect(store.save(jobRecord('a', { status: 'queued' }))).rejects.toThrow();
      await expect(store.remove('a')).rejects.toThrow();
      await expect(store.addIntent('a', { type: 'pause' })).rejects.toThrow();
    });
  });
}
