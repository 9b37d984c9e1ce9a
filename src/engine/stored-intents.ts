import { canTake, transition } from '../shared/job.js';
import type { JobRecord, JobStoreSnapshot } from './job-store.js';

/**
 * The jobs as the next agent will find them once it has carried out the intents stored for
 * them: what `ferry jobs` shows while no agent runs, and what a further command is checked
 * against. Nothing is written: the agent applies the intents itself when it starts.
 */
export function afterIntents(snapshot: Pick<JobStoreSnapshot, 'records' | 'intents'>): JobRecord[] {
  const byId = new Map(snapshot.records.map((record) => [record.id, record]));
  for (const { id, intent } of snapshot.intents) {
    const job = byId.get(id);
    if (job !== undefined && canTake(job.state, intent))
      byId.set(id, { ...job, state: transition(job.state, intent) });
  }
  return [...byId.values()];
}
