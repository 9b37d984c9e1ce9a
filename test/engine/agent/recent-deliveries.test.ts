import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recentDeliveries } from '../../../src/engine/agent/recent-deliveries.js';
import type { JobRecord } from '../../../src/engine/job-store.js';
import type { JobState } from '../../../src/shared/job.js';

const job = (id: string, updatedAt: number, state: JobState = { status: 'completed', remoteId: id }) =>
  ({
    id,
    path: `/data/out/${id}-2024-06-12-v1.csv`,
    target: 'default',
    state,
    attempts: 1,
    history: [],
    createdAt: 0,
    updatedAt,
  }) satisfies JobRecord;

/** What the summary did before: every completed job sorted (stably), newest first. */
const bySort = (jobs: readonly JobRecord[], count: number) =>
  jobs
    .filter((j) => j.state.status === 'completed')
    .sort((a, b) => b.updatedAt - a.updatedAt)
    .slice(0, count)
    .map((j) => j.id);

describe('recentDeliveries', () => {
  it('keeps the newest completed jobs, newest first, with their file names', () => {
    const jobs = [
      job('a', 10),
      job('b', 40),
      job('c', 50, { status: 'failed', error: { kind: 'server', message: 'no' } }),
      job('d', 30),
      job('e', 20),
    ];
    expect(recentDeliveries(jobs, 2)).toEqual([
      { jobId: 'b', file: 'b-2024-06-12-v1.csv', at: 40 },
      { jobId: 'd', file: 'd-2024-06-12-v1.csv', at: 30 },
    ]);
    expect(recentDeliveries(jobs, 0)).toEqual([]);
    expect(recentDeliveries([], 5)).toEqual([]);
  });

  it('agrees with a stable sort of the whole list, ties included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 8 }), done: fc.boolean() }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 7 }),
        (specs, count) => {
          const jobs = specs.map((s, i) =>
            job(`j${i}`, s.at, s.done ? { status: 'completed', remoteId: 'r' } : { status: 'queued' }),
          );
          expect(recentDeliveries(jobs, count).map((r) => r.jobId)).toEqual(bySort(jobs, count));
        },
      ),
    );
  });
});
