import { assertNever } from './assert-never.js';
import type { ImportStatistics } from './import-statistics.js';

/** An error as it crosses into a job's state and history: plain data, never a class instance. */
export interface JobError {
  readonly kind: string;
  readonly message: string;
}

/**
 * What a vendor said besides the file's id once it finished with the file. Both are absent in
 * records written before Ferry kept them, and for vendors that report neither.
 */
export interface Receipt {
  /** The import's figures, as the vendor named them. */
  readonly statistics?: ImportStatistics;
  /** The background task that took the file in, when the vendor names the file by an id of its own. */
  readonly taskId?: string;
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
  | ({ readonly status: 'completed'; readonly remoteId: string } & Receipt)
  | { readonly status: 'failed'; readonly error: JobError }
  | { readonly status: 'paused' };

export type JobStatus = JobState['status'];

/**
 * Everything that can happen to a job. The first group is what a delivery reports as it goes;
 * the second what a person asks for, or what the agent finds when it starts.
 */
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
  /** The wait after a failed attempt is over: the next attempt starts with a fresh request. */
  | { readonly type: 'next-attempt' }
  /** The bytes are in; the vendor now works on them and reports a status. */
  | { readonly type: 'uploaded' }
  /**
   * The file changed: what was checked or sent of it is stale (an upload under way is cut
   * off), and a refused or failed file is worth another look. The new contents settle first.
   */
  | { readonly type: 'file-changed' }
  | ({ readonly type: 'complete'; readonly remoteId: string } & Receipt)
  | { readonly type: 'fail'; readonly error: JobError }
  /** The target refused the token: the job waits, queued, until a person sets a new one. */
  | { readonly type: 'hold'; readonly error: JobError }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  /** A person asks for a failed or refused job again; `force` also sends content the checks refused. */
  | { readonly type: 'retry'; readonly force?: boolean }
  /** A person asks to send a delivered file again, on purpose. */
  | { readonly type: 'reupload' }
  /** The agent starts over a job a stop or a crash interrupted: what was under way is stale. */
  | { readonly type: 'restart' }
  /** The ledger holds this job's own delivery, recorded before a restart cut the job short. */
  | { readonly type: 'found-delivered'; readonly remoteId: string };

export type JobEventType = JobEvent['type'];

const TERMINAL: readonly JobStatus[] = ['completed', 'failed', 'rejected'];

/** Where every job starts: its file may still be being written. */
export const NEW_JOB: JobState = { status: 'waiting-for-write' };

/** Completed, failed and rejected jobs change only when a person asks (retry, re-upload). */
export function isTerminal(state: JobState): boolean {
  return TERMINAL.includes(state.status);
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
/** States a stop or a crash can leave a job in that are not the job's outcome. */
const UNDER_WAY: readonly JobStatus[] = ['waiting-for-write', 'queued', 'retry-wait', ...ACTIVE];

/**
 * The lifecycle as a table: every event and the states it may arrive in. Anything else is a bug
 * in the caller, so `transition` throws rather than drop it silently.
 */
const SOURCES: Readonly<Record<JobEventType, readonly JobStatus[]>> = {
  settled: ['waiting-for-write'],
  reject: ['waiting-for-write', 'queued'],
  start: ['queued'],
  'url-granted': ['requesting-url'],
  progress: ['uploading'],
  'attempt-failed': ACTIVE,
  'next-attempt': ['retry-wait'],
  uploaded: ['uploading'],
  'file-changed': ['queued', 'retry-wait', ...ACTIVE, 'failed', 'rejected'],
  complete: ['uploading', 'processing'],
  fail: UNDER_WAY,
  hold: ['queued', 'retry-wait', ...ACTIVE],
  pause: UNDER_WAY,
  resume: ['paused'],
  retry: ['failed', 'rejected'],
  reupload: ['completed'],
  restart: UNDER_WAY,
  'found-delivered': ['waiting-for-write', 'queued'],
};

/** Whether a job in `state` may take `event`. */
export function canTake(state: JobState, event: Pick<JobEvent, 'type'>): boolean {
  return SOURCES[event.type].includes(state.status);
}

function next(state: JobState, event: JobEvent): JobState {
  switch (event.type) {
    case 'settled':
    case 'hold':
      return { status: 'queued' };
    case 'reject':
      return { status: 'rejected', reason: event.reason };
    case 'start':
    case 'next-attempt':
      return { status: 'requesting-url' };
    case 'url-granted':
      return { status: 'uploading', sent: 0, total: event.total };
    case 'progress':
      return { status: 'uploading', sent: event.sent, total: state.status === 'uploading' ? state.total : 0 };
    case 'attempt-failed':
      return { status: 'retry-wait', at: event.at, attempt: event.attempt, error: event.error };
    case 'uploaded':
      return { status: 'processing' };
    case 'complete':
      return {
        status: 'completed',
        remoteId: event.remoteId,
        ...(event.statistics === undefined ? {} : { statistics: event.statistics }),
        ...(event.taskId === undefined ? {} : { taskId: event.taskId }),
      };
    case 'found-delivered':
      return { status: 'completed', remoteId: event.remoteId };
    case 'fail':
      return { status: 'failed', error: event.error };
    case 'pause':
      return { status: 'paused' };
    // Whatever was sent or checked before is stale: the file is looked at again from the start.
    case 'file-changed':
    case 'resume':
    case 'retry':
    case 'reupload':
    case 'restart':
      return { status: 'waiting-for-write' };
    default:
      return assertNever(event);
  }
}

/**
 * The job state machine, and the only way a job's state changes: the agent, the stored queue
 * and a delivery all say what happened as events. Pure: the host performs effects afterwards.
 */
export function transition(state: JobState, event: JobEvent): JobState {
  if (!canTake(state, event)) throw new TransitionError(state.status, event.type);
  return next(state, event);
}
