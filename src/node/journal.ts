import { join } from 'node:path';
import {
  MAX_ATTEMPT_HISTORY,
  type JobIntent,
  type JobRecord,
  type JobStore,
  type JobStoreSnapshot,
  type StoredIntent,
} from '../engine/job-store.js';
import { isTerminal } from '../shared/job.js';
import { AppendLog } from './append-log.js';
import { replaceFileDurably } from './durable-file.js';
import { isJobRecord } from './job-record-json.js';
import { readJsonLines } from './json-lines.js';

export const JOURNAL_FILE = 'jobs.journal';

/**
 * One line of the journal: a job's whole new record, the news that it was removed, or a
 * person's command for the next agent (see JobStore.addIntent).
 */
type JournalEntry =
  { readonly put: JobRecord } | { readonly remove: string } | { readonly intent: StoredIntent };

const INTENT_TYPES: readonly string[] = ['retry', 'pause', 'resume'] satisfies JobIntent['type'][];

function isStoredIntent(value: unknown): value is StoredIntent {
  if (typeof value !== 'object' || value === null) return false;
  const { id, intent } = value as Record<string, unknown>;
  if (typeof id !== 'string' || typeof intent !== 'object' || intent === null) return false;
  const { type, force } = intent as Record<string, unknown>;
  return (
    typeof type === 'string' &&
    INTENT_TYPES.includes(type) &&
    (force === undefined || typeof force === 'boolean')
  );
}

function readEntry(value: unknown): JournalEntry | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if ('put' in value) return isJobRecord(value.put) ? { put: value.put } : undefined;
  if ('remove' in value) return typeof value.remove === 'string' ? { remove: value.remove } : undefined;
  if ('intent' in value) return isStoredIntent(value.intent) ? { intent: value.intent } : undefined;
  return undefined;
}

/** Lines grouped into large writes: compacting 10,000 jobs should not take 10,000 writes. */
function* batches(entries: Iterable<JournalEntry>, bytes = 1 << 20): Generator<string> {
  let batch = '';
  for (const entry of entries) {
    batch += `${JSON.stringify(entry)}\n`;
    if (batch.length >= bytes) {
      yield batch;
      batch = '';
    }
  }
  if (batch !== '') yield batch;
}

function* compacted(snapshot: JobStoreSnapshot): Generator<JournalEntry> {
  for (const record of snapshot.records) yield { put: record };
  for (const intent of snapshot.intents) yield { intent };
}

/**
 * Replays a journal: the latest record of every job not removed, the intents no later record
 * has retired, and what the replay found.
 */
async function replay(path: string): Promise<JobStoreSnapshot> {
  const live = new Map<string, JobRecord>();
  let intents: StoredIntent[] = [];
  const retire = (id: string) => {
    if (intents.some((i) => i.id === id)) intents = intents.filter((i) => i.id !== id);
  };
  const report = await readJsonLines(path, (value) => {
    const entry = readEntry(value);
    if (entry === undefined) return false;
    if ('put' in entry) {
      live.set(entry.put.id, entry.put);
      retire(entry.put.id);
    } else if ('remove' in entry) {
      live.delete(entry.remove);
      retire(entry.remove);
    } else if (live.has(entry.intent.id)) intents.push(entry.intent);
    return true;
  });
  return {
    records: [...live.values()],
    intents,
    replay: { entries: report.lines, skipped: report.skipped, tornTail: report.tornTail, live: live.size },
  };
}

/**
 * The jobs in a state dir, read without writing: safe while an agent owns the
 * journal (`ferry jobs` beside a running `ferry watch`).
 */
export async function readJournal(stateDir: string): Promise<JobStoreSnapshot> {
  return replay(join(stateDir, JOURNAL_FILE));
}

export class JournalStateError extends Error {
  override readonly name = 'JournalStateError';
}

/**
 * The JobStore on disk: `<stateDir>/jobs.journal`, JSON lines, each the whole new record of a job
 * (or a removal), so the last line about a job is its state. Appending costs the same however
 * many jobs the journal holds; loading replays it and compacts it to one line per live job.
 */
export class JobJournal implements JobStore {
  readonly path: string;
  private phase: 'new' | 'loading' | 'open' | 'closed' = 'new';
  private log: AppendLog | undefined;

  constructor(stateDir: string) {
    this.path = join(stateDir, JOURNAL_FILE);
  }

  async load(): Promise<JobStoreSnapshot> {
    if (this.phase !== 'new') throw new JournalStateError(`${this.path} has already been loaded`);
    this.phase = 'loading';
    try {
      const snapshot = await replay(this.path);
      // Rewriting also drops a torn tail, which the next append would otherwise be glued onto.
      await replaceFileDurably(this.path, batches(compacted(snapshot)));
      this.log = await AppendLog.open(this.path);
      this.phase = 'open';
      return snapshot;
    } catch (error) {
      this.phase = 'new';
      throw error;
    }
  }

  save(record: JobRecord): Promise<void> {
    const stored =
      record.history.length > MAX_ATTEMPT_HISTORY
        ? { ...record, history: record.history.slice(-MAX_ATTEMPT_HISTORY) }
        : record;
    return this.append({ put: stored }, isTerminal(record.state));
  }

  remove(id: string): Promise<void> {
    // Durable: a job the user removed must not come back and be delivered after a crash.
    return this.append({ remove: id }, true);
  }

  addIntent(id: string, intent: JobIntent): Promise<void> {
    // Durable: the person was told the command is queued for the next start.
    return this.append({ intent: { id, intent } }, true);
  }

  async close(): Promise<void> {
    const log = this.log;
    this.phase = 'closed';
    this.log = undefined;
    await log?.close();
  }

  private append(entry: JournalEntry, durable: boolean): Promise<void> {
    if (this.log === undefined) {
      return Promise.reject(
        new JournalStateError(
          this.phase === 'closed'
            ? `${this.path} is closed`
            : `${this.path} must be loaded before it is written`,
        ),
      );
    }
    return this.log.append(JSON.stringify(entry), durable);
  }
}
