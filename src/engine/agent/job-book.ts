import { NEW_JOB, transition, type JobEvent } from '../../shared/job.js';
import type { JobLifecycle } from '../job-lifecycle.js';
import type { AttemptRecord, JobRecord, JobStore, JobStoreSnapshot } from '../job-store.js';
import type { Clock } from '../ports.js';

/** What the agent knows of a job besides its state: set as it learns them, never a state. */
export type JobFacts = Partial<
  Pick<JobRecord, 'path' | 'size' | 'mtimeMs' | 'sha256' | 'sendAnyway' | 'resendAfter' | 'superseded'>
>;

export type NewJob = Pick<JobRecord, 'path' | 'target'> &
  Partial<Pick<JobRecord, 'folder' | 'size' | 'mtimeMs'>>;

/** The line a job's history gets when an event ends an attempt; undefined for the others. */
function attemptOf(event: JobEvent): Omit<AttemptRecord, 'at'> | undefined {
  switch (event.type) {
    case 'complete':
      return { outcome: `delivered as ${event.remoteId}` };
    case 'found-delivered':
      return { outcome: `delivered as ${event.remoteId} (recorded before a restart)` };
    case 'fail':
      return { outcome: 'failed', error: event.error };
    case 'reject':
      return { outcome: 'rejected' };
    case 'hold':
      return { outcome: 'waiting for a new token', error: event.error };
    case 'settled':
    case 'start':
    case 'url-granted':
    case 'progress':
    case 'attempt-failed':
    case 'next-attempt':
    case 'uploaded':
    case 'file-changed':
    case 'pause':
    case 'resume':
    case 'retry':
    case 'reupload':
    case 'restart':
      return undefined;
  }
}

export interface JobBookListeners {
  readonly onChange: (job: JobRecord) => void;
  readonly onRemove: (id: string) => void;
  /** A record the store could not write; the next change of the job writes it whole again. */
  readonly onSaveError: (job: JobRecord, error: unknown) => void;
}

/**
 * Every job the agent knows, in memory, written through to the JobStore: the book is what the
 * agent reads, the store what a restart reads. It is the only writer of job state, and it
 * writes state only through `transition`. Changes apply at once; `saved` says when the store
 * holds them. Progress is shown, not stored: a restart starts an upload over anyway.
 */
export class JobBook {
  private readonly jobs = new Map<string, JobRecord>();
  /** The jobs of each path: a folder event finds its job without a walk through all of them. */
  private readonly idsByPath = new Map<string, Set<string>>();
  /** The latest write of each job: the store keeps writes in call order. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    private readonly store: JobStore,
    private readonly clock: Clock,
    private readonly newId: () => string,
    private readonly listeners: JobBookListeners,
  ) {}

  async load(): Promise<JobStoreSnapshot> {
    const snapshot = await this.store.load();
    for (const record of snapshot.records) this.keep(record);
    return snapshot;
  }

  all(): JobRecord[] {
    return [...this.jobs.values()];
  }

  get(id: string): JobRecord | undefined {
    return this.jobs.get(id);
  }

  /** The newest job for a path. */
  latestFor(path: string): JobRecord | undefined {
    let latest: JobRecord | undefined;
    for (const id of this.idsByPath.get(path) ?? []) {
      const job = this.jobs.get(id);
      if (job !== undefined && (latest === undefined || job.createdAt >= latest.createdAt)) latest = job;
    }
    return latest;
  }

  /** A new job waits for its file's write to settle, like every job that starts over. */
  create(job: NewJob): JobRecord {
    const now = this.clock.now();
    const record: JobRecord = {
      ...job,
      id: this.newId(),
      state: NEW_JOB,
      attempts: 0,
      history: [],
      createdAt: now,
      updatedAt: now,
    };
    this.put(record);
    return record;
  }

  /**
   * Moves a job through the lifecycle, with the facts the move brings in the same record; throws
   * a TransitionError for an event its state cannot take.
   */
  apply(id: string, event: JobEvent, facts: JobFacts = {}): JobRecord {
    const job = this.require(id);
    const state = transition(job.state, event);
    if (event.type === 'progress') {
      const shown = { ...job, state };
      this.jobs.set(id, shown);
      return shown;
    }
    const at = this.clock.now();
    const attempt = attemptOf(event);
    const updated: JobRecord = {
      ...job,
      ...facts,
      state,
      updatedAt: at,
      ...(attempt === undefined
        ? {}
        : { attempts: job.attempts + 1, history: [...job.history, { at, ...attempt }] }),
    };
    this.put(updated);
    return updated;
  }

  /** A job as a delivery sees it: every event it reports goes through `apply`. */
  lifecycle(id: string): JobLifecycle {
    const current = () => this.require(id);
    return {
      get state() {
        return current().state;
      },
      apply: (event) => {
        this.apply(id, event);
      },
    };
  }

  update(id: string, facts: JobFacts): JobRecord {
    const updated: JobRecord = { ...this.require(id), ...facts, updatedAt: this.clock.now() };
    this.put(updated);
    return updated;
  }

  /** Resolves once the store holds every change of the job made so far. */
  saved(id: string): Promise<void> {
    return this.writes.get(id) ?? Promise.resolve();
  }

  async remove(id: string): Promise<void> {
    const job = this.jobs.get(id);
    if (job !== undefined) this.unindex(job);
    this.jobs.delete(id);
    this.listeners.onRemove(id);
    await this.saved(id).catch(() => undefined);
    this.writes.delete(id);
    await this.store.remove(id);
  }

  /** Holds the record as the job's latest, indexed by its path (which a move into sent/ changes). */
  private keep(record: JobRecord): void {
    const previous = this.jobs.get(record.id);
    if (previous !== undefined && previous.path !== record.path) this.unindex(previous);
    this.jobs.set(record.id, record);
    const ids = this.idsByPath.get(record.path) ?? new Set<string>();
    ids.add(record.id);
    this.idsByPath.set(record.path, ids);
  }

  private unindex(record: JobRecord): void {
    const ids = this.idsByPath.get(record.path);
    ids?.delete(record.id);
    if (ids?.size === 0) this.idsByPath.delete(record.path);
  }

  private require(id: string): JobRecord {
    const job = this.jobs.get(id);
    if (job === undefined) throw new Error(`no job ${id}`);
    return job;
  }

  private put(record: JobRecord): void {
    this.keep(record);
    this.listeners.onChange(record);
    const write = this.store.save(record);
    // Whoever waits in `saved` hears of a failure; nobody is left with an unhandled rejection.
    write.catch((error: unknown) => {
      this.listeners.onSaveError(record, error);
    });
    this.writes.set(record.id, write);
  }
}
