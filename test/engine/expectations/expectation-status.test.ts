import { describe, expect, it } from 'vitest';
import {
  currentStatuses,
  expectationStatus,
  recentStatuses,
  type Evidence,
  type JobFacts,
} from '../../../src/engine/expectations/expectation-status.js';
import type { Expectation } from '../../../src/engine/expectations/schedule.js';
import { splitDate } from '../../../src/shared/calendar-date.js';
import type { JobState } from '../../../src/shared/job.js';
import { DEFAULT_RULE } from '../../../src/shared/naming.js';

const FOLDER = '/data/out';
const at = (iso: string) => Date.parse(iso);
const DAILY: Expectation = {
  folder: FOLDER,
  rule: DEFAULT_RULE,
  descriptor: 'customers',
  cadence: { kind: 'weekdays', days: [0, 1, 2, 3, 4, 5, 6] },
  by: 9 * 3600,
  timeZone: 'UTC',
  dated: 'delivery-day',
};
const DEC3 = splitDate('2026-12-03');
const LATE = at('2026-12-03T10:00:00Z');

/** No agent running: nothing made jobs of the folder's files. */
const stopped: Evidence = { delivered: [], jobs: [], offlineTargets: [], tokenRejected: [] };
const NOTHING: Evidence = { ...stopped, agentSince: 0 };

function job(name: string, state: JobState, overrides: Partial<JobFacts> = {}): JobFacts {
  return { path: `${FOLDER}/${name}`, folder: FOLDER, target: 'lexer', state, updatedAt: LATE, ...overrides };
}

function lateWith(evidence: Partial<Evidence>) {
  const status = expectationStatus(DAILY, DEC3, LATE, { ...NOTHING, ...evidence });
  return { state: status.state, cause: status.cause, reason: status.reason, file: status.file };
}

describe('an expectation', () => {
  it('is pending before its deadline, late after it, missing once its period is over', () => {
    expect(expectationStatus(DAILY, DEC3, at('2026-12-03T08:59:59Z'), NOTHING)).toEqual({
      folder: FOLDER,
      descriptor: 'customers',
      date: '2026-12-03',
      due: at('2026-12-03T09:00:00Z'),
      state: 'pending',
    });
    expect(expectationStatus(DAILY, DEC3, at('2026-12-03T09:00:00Z'), NOTHING).state).toBe('late');
    expect(expectationStatus(DAILY, DEC3, at('2026-12-03T23:59:59Z'), NOTHING).state).toBe('late');
    expect(expectationStatus(DAILY, DEC3, at('2026-12-04T00:00:00Z'), NOTHING).state).toBe('missing');
  });

  it('is delivered by the first delivery of a file that passes the rule with its descriptor and date', () => {
    const delivered = [
      { path: `${FOLDER}/customers-2026-12-03-v2.csv`, deliveredAt: at('2026-12-03T09:30:00Z') },
      { path: `${FOLDER}/customers-20261203-v1.csv`, deliveredAt: at('2026-12-03T08:10:00Z') },
      // Not this one: another descriptor, another date, another folder.
      { path: `${FOLDER}/orders-2026-12-03-v1.csv`, deliveredAt: at('2026-12-03T07:00:00Z') },
      { path: `${FOLDER}/customers-2026-12-02-v1.csv`, deliveredAt: at('2026-12-03T07:00:00Z') },
      { path: '/elsewhere/customers-2026-12-03-v1.csv', deliveredAt: at('2026-12-03T07:00:00Z') },
    ];
    const status = expectationStatus(DAILY, DEC3, LATE, { ...NOTHING, delivered });
    expect(status).toMatchObject({
      state: 'delivered',
      deliveredAt: at('2026-12-03T08:10:00Z'),
      file: 'customers-20261203-v1.csv',
    });
    // Delivered early counts before the deadline too, and delivered late after it.
    expect(expectationStatus(DAILY, DEC3, at('2026-12-03T08:30:00Z'), { ...NOTHING, delivered }).state).toBe(
      'delivered',
    );
  });

  it('a completed job counts as a delivery', () => {
    const completed = job('customers-2026-12-03-v1.csv', { status: 'completed', remoteId: 'r1' });
    expect(lateWith({ jobs: [completed] }).state).toBe('delivered');
  });

  it('a previous-day feed names the day before the delivery day', () => {
    const yesterday = { ...DAILY, dated: 'previous-day' } as const;
    const delivered = [
      { path: `${FOLDER}/customers-2026-12-02-v1.csv`, deliveredAt: at('2026-12-03T08:00:00Z') },
    ];
    const status = expectationStatus(yesterday, DEC3, LATE, { ...NOTHING, delivered });
    expect(status).toMatchObject({ date: '2026-12-02', due: at('2026-12-03T09:00:00Z'), state: 'delivered' });
  });
});

describe('a late file says why', () => {
  const name = 'customers-2026-12-03-v1.csv';

  it('no such file', () => {
    expect(lateWith({})).toEqual({
      state: 'late',
      cause: 'no-file',
      reason: 'no customers file dated 2026-12-03 in /data/out',
      file: undefined,
    });
  });

  it('the file was rejected, and why, also when its name does not pass the rule', () => {
    expect(
      lateWith({ jobs: [job(name, { status: 'rejected', reason: 'content-csv-columns: 2 row(s) …' })] }),
    ).toEqual({
      state: 'late',
      cause: 'rejected',
      reason: `${name} was rejected: content-csv-columns: 2 row(s) …`,
      file: name,
    });
    const nearMiss = 'customers-2026-12-03.csv';
    expect(
      lateWith({ jobs: [job(nearMiss, { status: 'rejected', reason: 'missing-version: …' })] }),
    ).toMatchObject({
      cause: 'rejected',
      reason: `${nearMiss} was rejected: missing-version: …`,
    });
  });

  it('the upload is failing, or failed', () => {
    const error = { kind: 'server', message: '503 Service Unavailable' };
    expect(
      lateWith({ jobs: [job(name, { status: 'retry-wait', at: LATE, attempt: 3, error })] }),
    ).toMatchObject({
      cause: 'failing',
      reason: `the upload of ${name} is failing (attempt 3): 503 Service Unavailable`,
    });
    expect(lateWith({ jobs: [job(name, { status: 'failed', error })] })).toMatchObject({
      cause: 'failed',
      reason: `the upload of ${name} failed: 503 Service Unavailable`,
    });
  });

  it('the target is offline, or refused the token', () => {
    const waiting = job(name, {
      status: 'retry-wait',
      at: LATE,
      attempt: 1,
      error: { kind: 'network', message: 'x' },
    });
    expect(lateWith({ jobs: [waiting], offlineTargets: ['lexer'] })).toMatchObject({
      cause: 'offline',
      reason: `lexer is offline: ${name} waits for it to answer`,
    });
    expect(lateWith({ jobs: [job(name, { status: 'queued' })], tokenRejected: ['lexer'] })).toMatchObject({
      cause: 'token-rejected',
      reason: `lexer refused the token: ${name} waits for a new one`,
    });
  });

  it('the file is paused, or on its way', () => {
    expect(lateWith({ jobs: [job(name, { status: 'paused' })] })).toMatchObject({ cause: 'paused' });
    expect(lateWith({ jobs: [job(name, { status: 'uploading', sent: 1, total: 2 })] })).toMatchObject({
      cause: 'on-its-way',
      reason: `${name} is on its way`,
    });
  });

  it('the agent was not running at the deadline, or is not running', () => {
    const restarted = at('2026-12-03T09:45:00Z');
    expect(lateWith({ jobs: [job(name, { status: 'queued' })], agentSince: restarted })).toMatchObject({
      cause: 'agent-not-running',
      reason: `the agent was not running at 09:00 UTC; ${name} is on its way now`,
    });
    expect(
      expectationStatus(DAILY, DEC3, LATE, { ...stopped, filesInFolder: new Map([[FOLDER, [name]]]) }),
    ).toMatchObject({
      cause: 'agent-not-running',
      reason: `the agent is not running: ${name} waits in ${FOLDER}`,
    });
    expect(expectationStatus(DAILY, DEC3, LATE, stopped)).toMatchObject({
      cause: 'no-file',
      reason: 'no customers file dated 2026-12-03 in /data/out; the agent is not running',
    });
  });

  it('the file that passes the rule explains more than a near miss', () => {
    const jobs = [
      job(
        'customers-2026-12-03.csv',
        { status: 'rejected', reason: 'missing-version' },
        { updatedAt: LATE + 1 },
      ),
      job(name, { status: 'failed', error: { kind: 'server', message: 'boom' } }),
    ];
    expect(lateWith({ jobs })).toMatchObject({ cause: 'failed', file: name });
  });
});

describe('statuses over days', () => {
  it('the current period of each expectation', () => {
    const weekdays: Expectation = {
      ...DAILY,
      descriptor: 'orders',
      cadence: { kind: 'weekdays', days: [1, 2, 3, 4, 5] },
    };
    // Sunday 6 December: orders' open period is Friday's (due Friday, late until Monday starts).
    const statuses = currentStatuses([DAILY, weekdays], at('2026-12-06T12:00:00Z'), NOTHING);
    expect(statuses.map((s) => [s.descriptor, s.date, s.state])).toEqual([
      ['customers', '2026-12-06', 'late'],
      ['orders', '2026-12-04', 'late'],
    ]);
  });

  it('the last N days, missing before today', () => {
    const statuses = recentStatuses([DAILY], at('2026-12-03T08:00:00Z'), 3, NOTHING);
    expect(statuses.map((s) => [s.date, s.state])).toEqual([
      ['2026-12-01', 'missing'],
      ['2026-12-02', 'missing'],
      ['2026-12-03', 'pending'],
    ]);
  });
});

describe('an expectation followed from a day on', () => {
  it('expects nothing of the days before it: neither missing nor in the current period', () => {
    const since = { ...DAILY, since: at('2026-12-02T15:00:00Z') };
    expect(
      recentStatuses([since], at('2026-12-03T08:00:00Z'), 7, NOTHING).map((s) => [s.date, s.state]),
    ).toEqual([
      ['2026-12-02', 'missing'],
      ['2026-12-03', 'pending'],
    ]);
    const mondays = { ...since, cadence: { kind: 'weekdays', days: [1] } } as const;
    // Thursday: Monday's period is open, but it began before the expectation was followed.
    expect(currentStatuses([mondays], at('2026-12-03T10:00:00Z'), NOTHING)).toEqual([]);
  });
});
