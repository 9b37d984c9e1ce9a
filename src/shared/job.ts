import { assertNever } from './assert-never.js';

/** An error as it crosses into a job's state and history: plain data, never a class instance. */
export interface JobError {
  readonly kind: string;
  readonly message: string;
}

/** Where one file delivery stands. Timestamps are milliseconds since the epoch. */
export type JobState =
  | { readonly status: 'waiting-for-write' }
  | { readonly status: 'queued' }
  | { readonly status: 'rejected'; readonly reason: string }
  | { readonly status: 'requesting-url' }
  | { readonly status: 'uploading'; readonly sent: number; readonly total: number }
  | { readonly status: 'retry-wait'; readonly at: number; readonly attempt: number; readonly error: JobError }
  | { readonly status: 'processing' }
  | { readonly status: 'completed'; readonly remoteId: string }
  | { readonly status: 'failed'; readonly error: JobError }
  | { readonly status: 'paused' };

export type JobStatus = JobState['status'];

export type JobEvent =
  /** The file stopped changing: it can be delivered. */
  | { readonly type: 'settled' }
  /** The file may not be delivered (bad name, empty, too large); it stays rejected until it changes. */
  | { readonly type: 'reject'; readonly reason: string }
  | { readonly type: 'start' }
  | { readonly type: 'url-granted'; readonly total: number }
  | { readonly type: 'progress'; readonly sent: number }
  | {
      readonly type: 'attempt-failed';
      readonly at: number;
      readonly attempt: number;
      readonly error: JobError;
    }
  | { readonly type: 'retry' }
  /** The bytes are in; the vendor now works on them and reports a status. */
  | { readonly type: 'uploaded' }
  /** The file changed underneath a delivery: what was sent (if anything) is stale. */
  | { readonly type: 'file-changed' }
  | { readonly type: 'complete'; readonly remoteId: string }
  | { readonly type: 'fail'; readonly error: JobError }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' };

export type JobEventType = JobEvent['type'];

/** Completed, failed and rejected jobs never change again; a restart does not resume them. */
export function isTerminal(state: JobState): boolean {
  return state.status === 'completed' || state.status === 'failed' || state.status === 'rejected';
}

export class TransitionError extends Error {
  override readonly name = 'TransitionError';
  constructor(
    readonly from: JobStatus,
    readonly event: JobEventType,
  ) {
    super(`a job in state '${from}' cannot take the event '${event}'`);
  }
}

/** States in which network work for the job is under way. */
const ACTIVE: readonly JobStatus[] = ['requesting-url', 'uploading', 'processing'];

function requireStatus(state: JobState, event: JobEvent, allowed: readonly JobStatus[]): void {
  if (!allowed.includes(state.status)) throw new TransitionError(state.status, event.type);
}

/**
 * The job state machine. Pure: the queue performs effects after a transition.
 * An event that makes no sense in the current state is a bug in the caller, so it throws
 * rather than being silently dropped.
 */
export function transition(state: JobState, event: JobEvent): JobState {
  switch (event.type) {
    case 'settled':
      requireStatus(state, event, ['waiting-for-write']);
      return { status: 'queued' };
    case 'reject':
      requireStatus(state, event, ['waiting-for-write', 'queued']);
      return { status: 'rejected', reason: event.reason };
    case 'start':
      requireStatus(state, event, ['queued']);
      return { status: 'requesting-url' };
    case 'url-granted':
      requireStatus(state, event, ['requesting-url']);
      return { status: 'uploading', sent: 0, total: event.total };
    case 'progress':
      if (state.status !== 'uploading') throw new TransitionError(state.status, event.type);
      return { status: 'uploading', sent: event.sent, total: state.total };
    case 'attempt-failed':
      requireStatus(state, event, ACTIVE);
      return { status: 'retry-wait', at: event.at, attempt: event.attempt, error: event.error };
    case 'retry':
      requireStatus(state, event, ['retry-wait']);
      return { status: 'requesting-url' };
    case 'uploaded':
      requireStatus(state, event, ['uploading']);
      return { status: 'processing' };
    case 'file-changed':
      requireStatus(state, event, ACTIVE);
      return { status: 'waiting-for-write' };
    case 'complete':
      requireStatus(state, event, ['uploading', 'processing']);
      return { status: 'completed', remoteId: event.remoteId };
    case 'fail':
      requireStatus(state, event, ['queued', 'retry-wait', ...ACTIVE]);
      return { status: 'failed', error: event.error };
    case 'pause':
      if (isTerminal(state) || state.status === 'paused') throw new TransitionError(state.status, event.type);
      return { status: 'paused' };
    case 'resume':
      requireStatus(state, event, ['paused']);
      // Whatever was sent before the pause is stale: the file is checked again from the start.
      return { status: 'waiting-for-write' };
    default:
      return assertNever(event);
  }
}
