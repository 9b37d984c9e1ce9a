import {
  MAX_ATTEMPT_HISTORY,
  type JobIntent,
  type JobRecord,
  type JobStore,
  type JobStoreSnapshot,
  type StoredIntent,
} from '../../src/engine/job-store.js';

/**
 * A JobStore in memory. Stores made by `restart()` share what was saved, as the journal does
 * across restarts; the JobStore contract tests hold it to the journal's behaviour.
 */
export class FakeJobStore implements JobStore {
  /** Every record saved, in order: what the engine asked to persist. */
  readonly saves: JobRecord[] = [];
  #phase: 'new' | 'open' | 'closed' = 'new';

  constructor(
    private readonly disk = new Map<string, JobRecord>(),
    /** Intents not yet retired by a later record of their job, in order. */
    private readonly intents: StoredIntent[] = [],
  ) {}

  restart(): FakeJobStore {
    return new FakeJobStore(this.disk, this.intents);
  }

  load(): Promise<JobStoreSnapshot> {
    if (this.#phase !== 'new') return Promise.reject(new Error('already loaded'));
    this.#phase = 'open';
    const records = [...this.disk.values()];
    return Promise.resolve({
      records,
      intents: [...this.intents],
      replay: { entries: records.length, skipped: 0, tornTail: false, live: records.length },
    });
  }

  save(record: JobRecord): Promise<void> {
    return this.#write(() => {
      const stored = { ...record, history: record.history.slice(-MAX_ATTEMPT_HISTORY) };
      this.saves.push(stored);
      this.disk.set(record.id, stored);
      this.#retire(record.id);
    });
  }

  remove(id: string): Promise<void> {
    return this.#write(() => {
      this.disk.delete(id);
      this.#retire(id);
    });
  }

  addIntent(id: string, intent: JobIntent): Promise<void> {
    return this.#write(() => {
      if (this.disk.has(id)) this.intents.push({ id, intent });
    });
  }

  #retire(id: string): void {
    for (let i = this.intents.length - 1; i >= 0; i -= 1)
      if (this.intents[i]?.id === id) this.intents.splice(i, 1);
  }

  close(): Promise<void> {
    this.#phase = 'closed';
    return Promise.resolve();
  }

  #write(change: () => void): Promise<void> {
    if (this.#phase !== 'open') return Promise.reject(new Error(`the store is ${this.#phase}`));
    change();
    return Promise.resolve();
  }
}
