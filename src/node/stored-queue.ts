import type { JobIntent, JobRecord } from '../engine/job-store.js';
import { afterIntents } from '../engine/stored-intents.js';
import { canTake } from '../shared/job.js';
import { JobJournal } from './journal.js';
import { acquireStateDirLock } from './state-dir-lock.js';

/**
 * The queue of a state dir no agent is running on: a command becomes an intent in its journal,
 * under the state dir's lock, and the next agent to start carries it out as if it were asked
 * then. No state is written here. Returns how many jobs the command applies to.
 */
export async function queueIntents(
  stateDir: string,
  intentFor: (job: JobRecord) => JobIntent | undefined,
): Promise<number> {
  const lock = await acquireStateDirLock(stateDir);
  const journal = new JobJournal(stateDir);
  try {
    let queued = 0;
    for (const job of afterIntents(await journal.load())) {
      const intent = intentFor(job);
      if (intent === undefined || !canTake(job.state, intent)) continue;
      await journal.addIntent(job.id, intent);
      queued += 1;
    }
    return queued;
  } finally {
    await journal.close();
    await lock.release();
  }
}

/** The agent's commands, for the stored queue: which jobs each asks something of, and what. */
export const storedIntents = {
  retry:
    (id: string, force: boolean) =>
    (job: JobRecord): JobIntent | undefined =>
      job.id === id ? { type: 'retry', ...(force ? { force } : {}) } : undefined,
  retryFailed: (job: JobRecord): JobIntent | undefined =>
    job.state.status === 'failed' ? { type: 'retry' } : undefined,
  pause: (): JobIntent => ({ type: 'pause' }),
  resume: (): JobIntent => ({ type: 'resume' }),
};
