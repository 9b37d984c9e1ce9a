import type { JobError, JobEvent, JobState } from '../shared/job.js';

/** One past attempt at delivering a job, kept so `ferry jobs` and the UI can explain a failure. */
export interface AttemptRecord {
  readonly at: number;
  readonly outcome: string;
  readonly error?: JobError;
}

/**
 * Only the latest attempts are stored: a record is rewritten whole on every change, so its size
 * must not grow with a job that keeps failing.
 */
export const MAX_ATTEMPT_HISTORY = 20;

/** A delivery of an earlier version of a job's file, replaced before its answer came. */
export interface SupersededDelivery {
  readonly remoteId: string;
  readonly size: number;
  /** Of the version that was sent; unknown when no checked version was sent. */
  readonly sha256?: string;
  readonly deliveredAt: number;
}

/** A job as it is persisted: enough to resume it after a restart and to list it. */
export interface JobRecord {
  readonly id: string;
  readonly path: string;
  /** The watched folder the file was found in, when it came from one (not a manual upload). */
  readonly folder?: string;
  readonly target: string;
  readonly state: JobState;
  readonly size?: number;
  readonly mtimeMs?: number;
  readonly sha256?: string;
  /** A person said "send anyway": the content checks do not stop this job. */
  readonly sendAnyway?: boolean;
  /**
   * When a person asked for these bytes to be sent again (a re-upload, or a retry of a failed
   * import): a delivery the ledger recorded until then does not stop the job, even after a restart.
   */
  readonly resendAfter?: number;
  /**
   * Versions of the file the vendor took before a change was seen (their PUT had completed):
   * the vendor holds them too, so they are on record, oldest first.
   */
  readonly superseded?: readonly SupersededDelivery[];
  /** Attempts made in all; `history` holds at most the latest MAX_ATTEMPT_HISTORY of them. */
  readonly attempts: number;
  readonly history: readonly AttemptRecord[];
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What replaying the store found, so the host can tell the user about damage instead of hiding it. */
export interface ReplayReport {
  /** Entries read, the damaged ones included. */
  readonly entries: number;
  /** Entries that could not be read (a torn write, damaged bytes) and were dropped. */
  readonly skipped: number;
  /** The last entry was cut short, as a crash in the middle of a write leaves it. */
  readonly tornTail: boolean;
  /** Jobs that survived the replay: the latest record of each job not removed. */
  readonly live: number;
}

/** What a person can ask of a job while no agent runs: the next agent to start carries it out. */
export type JobIntent = Extract<JobEvent, { readonly type: 'retry' | 'pause' | 'resume' }>;

export interface StoredIntent {
  readonly id: string;
  readonly intent: JobIntent;
}

export interface JobStoreSnapshot {
  /** In the order the jobs were first saved. */
  readonly records: readonly JobRecord[];
  /**
   * Intents recorded since their job's latest record, in the order they were given. Carrying
   * one out saves a newer record, which retires it: an intent is carried out once.
   */
  readonly intents: readonly StoredIntent[];
  readonly replay: ReplayReport;
}

/**
 * Where jobs outlive the process. A restart loads every record and resumes the ones whose state
 * is not terminal. Saves and removes are applied in call order.
 */
export interface JobStore {
  /** Replays and compacts the store. Call it once, before any save or remove. */
  load(): Promise<JobStoreSnapshot>;
  /**
   * Stores the whole record, replacing the previous one with the same id. When the state is
   * terminal the promise resolves only once the record would survive a power loss; other
   * states may be lost to one, and the job then resumes from an earlier state.
   * A history longer than MAX_ATTEMPT_HISTORY is stored as its latest entries.
   */
  save(record: JobRecord): Promise<void>;
  /** Forgets a job durably; a removed job is never resumed. */
  remove(id: string): Promise<void>;
  /**
   * Records, durably, a person's command for the next agent (the stored queue: no agent is
   * running). It changes no record: the agent applies it as an event when it loads the store.
   */
  addIntent(id: string, intent: JobIntent): Promise<void>;
  /** Waits for pending writes, then releases the store. */
  close(): Promise<void>;
}
