import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isTerminal,
  transition,
  TransitionError,
  type JobEvent,
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
  { type: 'retry' },
  { type: 'uploaded' },
  { type: 'file-changed' },
  { type: 'complete', remoteId: 'r-1' },
  { type: 'fail', error },
  { type: 'pause' },
  { type: 'resume' },
];

/** Every allowed (state, event) pair and where it leads; everything else must throw. */
const ALLOWED: readonly [JobStatus, JobEvent['type'], JobState][] = [
  ['waiting-for-write', 'settled', { status: 'queued' }],
  ['waiting-for-write', 'reject', { status: 'rejected', reason: 'too large' }],
  ['waiting-for-write', 'pause', { status: 'paused' }],
  ['queued', 'reject', { status: 'rejected', reason: 'too large' }],
  ['queued', 'start', { status: 'requesting-url' }],
  ['queued', 'fail', { status: 'failed', error }],
  ['queued', 'pause', { status: 'paused' }],
  ['requesting-url', 'url-granted', { status: 'uploading', sent: 0, total: 100 }],
  ['requesting-url', 'attempt-failed', { status: 'retry-wait', at: 9_000, attempt: 2, error }],
  ['requesting-url', 'file-changed', { status: 'waiting-for-write' }],
  ['requesting-url', 'fail', { status: 'failed', error }],
  ['requesting-url', 'pause', { status: 'paused' }],
  ['uploading', 'progress', { status: 'uploading', sent: 50, total: 100 }],
  ['uploading', 'attempt-failed', { status: 'retry-wait', at: 9_000, attempt: 2, error }],
  ['uploading', 'uploaded', { status: 'processing' }],
  ['uploading', 'file-changed', { status: 'waiting-for-write' }],
  ['uploading', 'complete', { status: 'completed', remoteId: 'r-1' }],
  ['uploading', 'fail', { status: 'failed', error }],
  ['uploading', 'pause', { status: 'paused' }],
  ['retry-wait', 'retry', { status: 'requesting-url' }],
  ['retry-wait', 'fail', { status: 'failed', error }],
  ['retry-wait', 'pause', { status: 'paused' }],
  ['processing', 'attempt-failed', { status: 'retry-wait', at: 9_000, attempt: 2, error }],
  ['processing', 'file-changed', { status: 'waiting-for-write' }],
  ['processing', 'complete', { status: 'completed', remoteId: 'r-1' }],
  ['processing', 'fail', { status: 'failed', error }],
  ['processing', 'pause', { status: 'paused' }],
  ['paused', 'resume', { status: 'waiting-for-write' }],
];

describe('transition', () => {
  for (const [from, eventType, to] of ALLOWED) {
    it(`${from} --${eventType}--> ${to.status}`, () => {
      const event = EVENTS.find((e) => e.type === eventType);
      if (event === undefined) throw new Error(`no sample event ${eventType}`);
      expect(transition(STATES[from], event)).toEqual(to);
    });
  }

  it('refuses every pair not listed as allowed, naming the state and the event', () => {
    let refused = 0;
    for (const state of Object.values(STATES)) {
      for (const event of EVENTS) {
        if (ALLOWED.some(([s, e]) => s === state.status && e === event.type)) continue;
        expect(() => transition(state, event)).toThrow(new TransitionError(state.status, event.type).message);
        refused += 1;
      }
    }
    expect(refused).toBe(Object.keys(STATES).length * EVENTS.length - ALLOWED.length);
  });

  it('keeps the total while an upload progresses', () => {
    const next = transition({ status: 'uploading', sent: 0, total: 7 }, { type: 'progress', sent: 3 });
    expect(next).toEqual({ status: 'uploading', sent: 3, total: 7 });
  });

  it('never leaves a terminal state, whatever events arrive', () => {
    const event = fc.constantFrom(...EVENTS);
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        let state: JobState = { status: 'waiting-for-write' };
        let sawTerminal: JobState | undefined;
        for (const e of events) {
          try {
            state = transition(state, e);
          } catch (err) {
            if (!(err instanceof TransitionError)) throw err;
          }
          if (sawTerminal !== undefined) expect(state).toBe(sawTerminal);
          if (isTerminal(state)) sawTerminal = state;
        }
      }),
    );
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
