import type { JobRecord } from '../engine/job-store.js';
import { isTerminal, type JobState } from '../shared/job.js';
import { JobJournal } from './journal.js';
import { acquireStateDirLock } from './state-dir-lock.js';

/**
 * The queue of a state dir no agent is running on: changes are written to its
 * journal under the state dir's lock, and the next agent to start acts on them.
 */
export async function changeStoredQueue(
  stateDir: string,
  change: (job: JobRecord) => JobState | undefined,
  extra: Partial<Pick<JobRecord, 'sendAnyway'>> = {},
): Promise<number> {
  const lock = await acquireStateDirLock(stateDir);
  const journal = new JobJournal(stateDir);
  try {
    const { records } = await journal.load();
    let changed = 0;
    for (const job of records) {
      const state = change(job);
      if (state === undefined) continue;
      await journal.save({ ...job, ...extra, state, updatedAt: Date.now() });
      changed += 1;
    }
    return changed;
  } finally {
    await journal.close();
    await lock.release();
  }
}

/** Stored-queue versions of the agent's commands: what the next agent will do. */
export const storedChanges = {
  retry:
    (id: string) =>
    (job: JobRecord): JobState | undefined =>
      job.id === id && (job.state.status === 'failed' || job.state.status === 'rejected')
        ? { status: 'waiting-for-write' }
        : undefined,
  retryFailed: (job: JobRecord): JobState | undefined =>
    job.state.status === 'failed' ? { status: 'waiting-for-write' } : undefined,
  pause: (job: JobRecord): JobState | undefined =>
    !isTerminal(job.state) && job.state.status !== 'paused' ? { status: 'paused' } : undefined,
  resume: (job: JobRecord): JobState | undefined =>
    job.state.status === 'paused' ? { status: 'waiting-for-write' } : undefined,
};
