import { describe, expect, it } from 'vitest';
import { filterCounts, visibleJobs } from '../../src/renderer/job-filter.js';
import type { JobView } from '../../src/shared/contract.js';
import type { JobState } from '../../src/shared/job.js';

const job = (file: string, state: JobState, createdAt: number): JobView => ({
  id: file,
  file,
  path: `/in/${file}`,
  target: 'vendor',
  status: state.status,
  state,
  attempts: 0,
  createdAt,
  updatedAt: createdAt,
});

const jobs = [
  job('a.csv', { status: 'completed', remoteId: 'r' }, 1),
  job('b.csv', { status: 'failed', error: { kind: 'http', message: 'no' } }, 2),
  job('Bad Name.csv', { status: 'rejected', reason: 'bad-character' }, 3),
  job('c.csv', { status: 'uploading', sent: 1, total: 2 }, 4),
  job('d.csv', { status: 'retry-wait', at: 9, attempt: 1, error: { kind: 'http', message: '503' } }, 5),
];

describe('job filters', () => {
  it('counts every filter: needs attention is failed plus rejected', () => {
    expect(filterCounts(jobs)).toEqual({ all: 5, active: 2, attention: 2, completed: 1 });
  });

  it('filters, searches case-insensitively, newest first', () => {
    expect(visibleJobs(jobs, 'attention', '').map((j) => j.file)).toEqual(['Bad Name.csv', 'b.csv']);
    expect(visibleJobs(jobs, 'all', ' BAD ').map((j) => j.file)).toEqual(['Bad Name.csv']);
    expect(visibleJobs(jobs, 'active', '').map((j) => j.file)).toEqual(['d.csv', 'c.csv']);
  });
});
