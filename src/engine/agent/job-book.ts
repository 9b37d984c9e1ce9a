import type { JobState } from '../../shared/job.js';
import { isTerminal } from '../../shared/job.js';
import type { AttemptRecord, JobRecord, JobStore } from '../job-store.js';
import type { Clock } from '../ports.js';

export type NewJob = Pick<JobRecord, 'path' | 'target' | 'state'> &
  Partial<Pick<JobRecord, 'folder' | 'size' | 'mtimeMs'>>;

/**
 * Every job the agent knows, in memory, written through to the JobStore on
 * each change: the book is what the agent reads, the store what a restart
 * reads. Saves are not awaited by callers that only report progress.
 */
export class JobBook {
  private readonly jobs = new Map<string, JobRecord>();

  constructor(
    private readonly store: JobStore,
    private readonly clock: Clock,
    private readonly newId: () => string,
    private readonly onChange: (job: JobRecord) => void,
    private readonly onRemove: (id: string) => void = () => undefined,
  ) {}

  async load(): Promise<readonly JobRecord[]> {
    const { records } = await this.store.load();
    for (const record of records) this.jobs.set(record.id, record);
    return records;
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
    for (const job of this.jobs.values()) {
      if (job.path === path && (latest === undefined || job.createdAt >= latest.createdAt)) latest = job;
    }
    return latest;
  }

  async create(job: NewJob): Promise<JobRecord> {
    const now = this.clock.now();
    const record: JobRecord = {
      ...job,
      id: this.newId(),
      attempts: 0,
      history: [],
      createdAt: now,
      updatedAt: now,
    };
    await this.put(record);
    return record;
  }

  /** Records a new state, and an attempt when the change ends one. */
  async setState(id: string, state: JobState, attempt?: Omit<AttemptRecord, 'at'>): Promise<JobRecord> {
    const job = this.require(id);
    const at = this.clock.now();
    const updated: JobRecord = {
      ...job,
      state,
      updatedAt: at,
      ...(attempt === undefined
        ? {}
        : { attempts: job.attempts + 1, history: [...job.history, { at, ...attempt }] }),
    };
    await this.put(updated);
    return updated;
  }

  async update(id: string, changes: Partial<Omit<JobRecord, 'id'>>): Promise<JobRecord> {
    const updated: JobRecord = { ...this.require(id), ...changes, updatedAt: this.clock.now() };
    await this.put(updated);
    return updated;
  }

  /** Progress is shown, not stored: a restart starts the upload over anyway. */
  showProgress(id: string, state: JobState): void {
    const job = this.jobs.get(id);
    if (job === undefined || isTerminal(job.state)) return;
    const updated = { ...job, state };
    this.jobs.set(id, updated);
    this.onChange(updated);
  }

  async remove(id: string): Promise<void> {
    this.jobs.delete(id);
    this.onRemove(id);
    await this.store.remove(id);
  }

  private require(id: string): JobRecord {
    const job = this.jobs.get(id);
    if (job === undefined) throw new Error(`no job ${id}`);
    return job;
  }

  private async put(record: JobRecord): Promise<void> {
    this.jobs.set(record.id, record);
    this.onChange(record);
    await this.store.save(record);
  }
}
