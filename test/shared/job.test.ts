import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canTake,
  isTerminal,
  transition,
  TransitionError,
  type JobEvent,
  type JobEventType,
  type JobState,
  type JobStatus,
} from '../../src/shared/job.js';

const error = { kind: 'server', message: 'HTTP 503' };

const STATES: Record<JobStatus, JobState> = {
  'waiting-for-write': { status: 'waiting-for-write' },
  queued: { status: 'queued' },
  rejected: { status: 'rejected', reason: 'empty file' },
  'requesting-url': { status: 'requesting-url' },
  uploading: { status: 'uploading', sent: 10, total: 100 },
  'retry-wait': { status: 'retry-wait', at: 5_000, attempt: 1, error },
  processing: { status: 'processing' },
  completed: { status: 'completed', remoteId: '123' },
  failed: { status: 'failed', error },
  paused: { status: 'paused' },
};

const EVENTS: readonly JobEvent[] = [
  { type: 'settled' },
  { type: 'reject', reason: 'too large' },
  { type: 'start' },
  { type: 'url-granted', total: 100 },
  { type: 'progress', sent: 50 },
  { type: 'attempt-failed', at: 9_000, attempt: 2, error },
  { type: 'next-attempt' },
  { type: 'uploaded' },
  { type: 'file-changed' },
  { type: 'complete', remoteId: 'r-1' },
  { type: 'fail', error },
  { type: 'hold', error },
  { type: 'pause' },
  { type: 'resume' },
  { type: 'retry', force: true },
  { type: 'reupload' },
  { type: 'restart' },
  { type: 'found-delivered', remoteId: 'r-0' },
];

const queued: JobState = { status: 'queued' };
const waiting: JobState = { status: 'waiting-for-write' };
const paused: JobState = { status: 'paused' };
const failed: JobState = { status: 'failed', error };
const retryWait: JobState = { status: 'retry-wait', at: 9_000, attempt: 2, error };

/** Every allowed (state, event) pair and where it leads; everything else must throw. */
const ALLOWED: readonly [JobStatus, JobEventType, JobState][] = [
  ['waiting-for-write', 'settled', queued],
  ['waiting-for-write', 'reject', { status: 'rejected', reason: 'too large' }],
  ['waiting-for-write', 'fail', failed],
  ['waiting-for-write', 'pause', paused],
  ['waiting-for-write', 'restart', waiting],
  ['waiting-for-write', 'found-delivered', { status: 'completed', remoteId: 'r-0' }],
  ['queued', 'reject', { status: 'rejected', reason: 'too large' }],
  ['queued', 'start', { status: 'requesting-url' }],
  ['queued', 'fail', failed],
  ['queued', 'hold', queued],
  ['queued', 'file-changed', waiting],
  ['queued', 'pause', paused],
  ['queued', 'restart', waiting],
  ['queued', 'found-delivered', { status: 'completed', remoteId: 'r-0' }],
  ['requesting-url', 'url-granted', { status: 'uploading', sent: 0, total: 100 }],
  ['requesting-url', 'attempt-failed', retryWait],
  ['requesting-url', 'file-changed', waiting],
  ['requesting-url', 'fail', failed],
  ['requesting-url', 'hold', queued],
  ['requesting-url', 'pause', paused],
  ['requesting-url', 'restart', waiting],
  ['uploading', 'progress', { status: 'uploading', sent: 50, total: 100 }],
  ['uploading', 'attempt-failed', retryWait],
  ['uploading', 'uploaded', { status: 'processing' }],
  ['uploading', 'file-changed', waiting],
  ['uploading', 'complete', { status: 'completed', remoteId: 'r-1' }],
  ['uploading', 'fail', failed],
  ['uploading', 'hold', queued],
  ['uploading', 'pause', paused],
  ['uploading', 'restart', waiting],
  ['retry-wait', 'next-attempt', { status: 'requesting-url' }],
  ['retry-wait', 'fail', failed],
  ['retry-wait', 'hold', queued],
  ['retry-wait', 'file-changed', waiting],
  ['retry-wait', 'pause', paused],
  ['retry-wait', 'restart', waiting],
  ['processing', 'attempt-failed', retryWait],
  ['processing', 'file-changed', waiting],
  ['processing', 'complete', { status: 'completed', remoteId: 'r-1' }],
  ['processing', 'fail', failed],
  ['processing', 'hold', queued],
  ['processing', 'pause', paused],
  ['processing', 'restart', waiting],
  ['completed', 'reupload', waiting],
  ['failed', 'file-changed', waiting],
  ['failed', 'retry', waiting],
  ['rejected', 'file-changed', waiting],
  ['rejected', 'retry', waiting],
  ['paused', 'resume', waiting],
];

/** What a delivery reports on its own; a person, a changed file or a restart are the rest. */
const DELIVERY_EVENTS = new Set<JobEventType>([
  'settled',
  'reject',
  'start',
  'url-granted',
  'progress',
  'attempt-failed',
  'next-attempt',
  'uploaded',
  'complete',
  'fail',
  'hold',
]);

const allowed = (state: JobState, event: JobEvent) =>
  ALLOWED.some(([s, e]) => s === state.status && e === event.type);

describe('transition', () => {
  for (const [from, eventType, to] of ALLOWED) {
    it(`${from} --${eventType}--> ${to.status}`, () => {
      const event = EVENTS.find((e) => e.type === eventType);
      if (event === undefined) throw new Error(`no sample event ${eventType}`);
      expect(transition(STATES[from], event)).toEqual(to);
      expect(canTake(STATES[from], event)).toBe(true);
    });
  }

  it('has a sample of every event and a row for every state', () => {
    const types: Record<JobEventType, true> = Object.fromEntries(EVENTS.map((e) => [e.type, true])) as Record<
      JobEventType,
      true
    >;
    expect(Object.keys(types)).toHaveLength(EVENTS.length);
    for (const state of Object.values(STATES)) expect(ALLOWED.some(([s]) => s === state.status)).toBe(true);
  });

  it('refuses every pair not listed as allowed, naming the state and the event', () => {
    let refused = 0;
    for (const state of Object.values(STATES)) {
      for (const event of EVENTS) {
        if (allowed(state, event)) continue;
        expect(canTake(state, event)).toBe(false);
        expect(() => transition(state, event)).toThrow(new TransitionError(state.status, event.type).message);
        refused += 1;
      }
    }
    expect(refused).toBe(Object.keys(STATES).length * EVENTS.length - ALLOWED.length);
  });

  it("carries the vendor's receipt into the completed state, and nothing of it when there is none", () => {
    const receipt = { statistics: { rows: 12_345, columns: 8 }, taskId: 'task-1' };
    expect(
      transition({ status: 'processing' }, { type: 'complete', remoteId: 'file-1', ...receipt }),
    ).toEqual({
      status: 'completed',
      remoteId: 'file-1',
      ...receipt,
    });
    expect(transition({ status: 'processing' }, { type: 'complete', remoteId: 'file-1' })).toStrictEqual({
      status: 'completed',
      remoteId: 'file-1',
    });
  });

  it('keeps the total while an upload progresses', () => {
    const next = transition({ status: 'uploading', sent: 0, total: 7 }, { type: 'progress', sent: 3 });
    expect(next).toEqual({ status: 'uploading', sent: 3, total: 7 });
  });

  it('agrees with canTake on every state reachable by any sequence of events', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...EVENTS), { maxLength: 60 }), (events) => {
        let state: JobState = { status: 'waiting-for-write' };
        for (const e of events) {
          expect(canTake(state, e)).toBe(allowed(state, e));
          if (canTake(state, e)) state = transition(state, e);
          else expect(() => transition(state, e)).toThrow(TransitionError);
        }
      }),
    );
  });

  it('leaves a terminal state only when a person asks, or the file changes', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...EVENTS), { maxLength: 60 }), (events) => {
        let state: JobState = { status: 'waiting-for-write' };
        for (const e of events) {
          if (!canTake(state, e)) continue;
          const next = transition(state, e);
          if (isTerminal(state) && !isTerminal(next)) {
            expect(['retry', 'reupload', 'file-changed']).toContain(e.type);
            expect(next).toEqual(waiting);
          }
          if (isTerminal(state) && DELIVERY_EVENTS.has(e.type))
            expect.unreachable(`${state.status} took ${e.type}`);
          state = next;
        }
      }),
    );
  });

  it('takes every job that a stop left under way back to waiting for its write, and no other', () => {
    for (const state of Object.values(STATES)) {
      const underWay = !isTerminal(state) && state.status !== 'paused';
      expect(canTake(state, { type: 'restart' })).toBe(underWay);
      expect(canTake(state, { type: 'pause' })).toBe(underWay);
    }
  });
});

describe('isTerminal', () => {
  it('holds for completed, failed and rejected only', () => {
    const terminal = Object.values(STATES)
      .filter(isTerminal)
      .map((s) => s.status);
    expect(terminal.sort()).toEqual(['completed', 'failed', 'rejected']);
  });
});
