import { describe, expect, it } from 'vitest';
import { jobView } from '../../src/engine/job-view.js';
import type { JobRecord } from '../../src/engine/job-store.js';
import { formatJobsTable } from '../../src/cli/jobs-report.js';
import { WatchReporter } from '../../src/cli/watch-report.js';
import type { JobState } from '../../src/shared/job.js';

const job = (id: string, state: JobState, target = 'lexer'): JobRecord => ({
  id: `${id}0000000`,
  path: `/data/${id}-2024-06-12-v1.csv`,
  target,
  state,
  attempts: 1,
  history: [],
  createdAt: 0,
  updatedAt: 0,
});

const refused: JobState = {
  status: 'retry-wait',
  at: 0,
  attempt: 0,
  error: { kind: 'network', message: 'connect ECONNREFUSED 127.0.0.1:9' },
};

function reporter() {
  let out = '';
  const report = new WatchReporter((text) => (out += text), false);
  return { report, output: () => out };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('WatchReporter while a target is offline', () => {
  it('tells the outage once, not each job as a failed attempt, and tells when it is back', async () => {
    const { report, output } = reporter();
    // As the engine does it: the target is marked offline, then its job enters retry-wait.
    report.onEvent({ type: 'reachability', target: 'lexer', offline: true });
    report.onEvent({ type: 'job', job: job('a', refused) });
    report.onEvent({ type: 'job', job: job('b', refused) });
    await turn();
    report.onEvent({ type: 'reachability', target: 'lexer', offline: false });
    report.onEvent({ type: 'job', job: job('a', { status: 'completed', remoteId: 'r1' }) });
    expect(output()).toBe(
      [
        '… offline — waiting for lexer to answer; no job fails meanwhile',
        '✓ back online: lexer',
        '✓ delivered  a-2024-06-12-v1.csv → r1',
        '',
      ].join('\n'),
    );
  });

  it('still tells a failed attempt at a target that answers', async () => {
    const { report, output } = reporter();
    report.onEvent({ type: 'reachability', target: 'other', offline: true });
    report.onEvent({
      type: 'job',
      job: job('a', { ...refused, attempt: 2, error: { kind: 'server', message: '503' } }),
    });
    await turn();
    expect(output()).toContain('… retrying   a-2024-06-12-v1.csv (attempt 2): 503');
  });

  it('prints the reachability change as a JSON line with --json', () => {
    let out = '';
    new WatchReporter((text) => (out += text), true).onEvent({
      type: 'reachability',
      target: 'lexer',
      offline: true,
    });
    expect(JSON.parse(out)).toEqual({ event: 'reachability', target: 'lexer', offline: true });
  });
});

describe('formatJobsTable while a target is offline', () => {
  it('heads the table with the outage and shows waiting jobs as waiting, not with their last error', () => {
    const jobs = [job('a', refused), job('b', { status: 'queued' }), job('c', refused, 'other')].map(jobView);
    const table = formatJobsTable(jobs, ['lexer']);
    const lines = table.split('\n');
    expect(lines[0]).toBe('offline — waiting for lexer to answer (2 jobs waiting)');
    expect(lines[1]).toMatch(/a-2024-06-12-v1\.csv +offline — waiting for lexer$/);
    // Another target's wait is not this outage.
    expect(lines[3]).not.toContain('offline');
    expect(formatJobsTable(jobs)).not.toContain('offline');
  });
});

describe('ferry watch: expected files', () => {
  it('prints a line when one goes late and when it arrives, and a JSON line with --json', () => {
    const { report, output } = reporter();
    const late = {
      folder: '/data/out',
      descriptor: 'customers',
      date: '2026-12-03',
      due: Date.UTC(2026, 11, 3, 9),
      state: 'late',
      cause: 'rejected',
      reason: 'customers-2026-12-03-v1.csv was rejected: bad-date: …',
    } as const;
    report.onEvent({ type: 'expectation', status: late });
    report.onEvent({
      type: 'expectation',
      status: {
        ...late,
        state: 'delivered',
        deliveredAt: Date.UTC(2026, 11, 3, 10),
        file: 'customers-2026-12-03-v2.csv',
      },
    });
    expect(output()).toBe(
      '! expected   customers for 2026-12-03 is late: customers-2026-12-03-v1.csv was rejected: bad-date: …\n' +
        '✓ expected   customers for 2026-12-03 was delivered: customers-2026-12-03-v2.csv\n',
    );
    let json = '';
    new WatchReporter((text) => (json += text), true).onEvent({ type: 'expectation', status: late });
    expect(JSON.parse(json)).toEqual({
      event: 'expectation',
      folder: '/data/out',
      descriptor: 'customers',
      date: '2026-12-03',
      due: '2026-12-03T09:00:00.000Z',
      state: 'late',
      cause: 'rejected',
      reason: 'customers-2026-12-03-v1.csv was rejected: bad-date: …',
    });
  });
});
