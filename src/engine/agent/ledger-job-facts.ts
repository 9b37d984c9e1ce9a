import type { DeliveryLedger } from '../delivery-ledger.js';
import type { JobRecord } from '../job-store.js';
import type { AgentEvent } from './agent-ports.js';

const fileKey = (path: string, target: string) => `${target}\0${path}`;

/**
 * The agent's jobs by file and target, kept from its events: a delivery is recorded while its
 * job sends, and one file has one job under way per target.
 */
export class JobsByFile {
  private readonly byFile = new Map<string, JobRecord>();
  private readonly keyOfId = new Map<string, string>();

  onAgentEvent(event: AgentEvent): void {
    if (event.type === 'job') {
      const key = fileKey(event.job.path, event.job.target);
      const earlier = this.keyOfId.get(event.job.id);
      // A file moved into sent/ after its delivery has a new path: the old key is stale.
      if (earlier !== undefined && earlier !== key) this.byFile.delete(earlier);
      this.byFile.set(key, event.job);
      this.keyOfId.set(event.job.id, key);
    } else if (event.type === 'job-removed') {
      const key = this.keyOfId.get(event.id);
      if (key !== undefined && this.byFile.get(key)?.id === event.id) this.byFile.delete(key);
      this.keyOfId.delete(event.id);
    }
  }

  job(path: string, target: string): JobRecord | undefined {
    return this.byFile.get(fileKey(path, target));
  }
}

/**
 * The ledger, each entry recorded with what the job that delivers it knows: the watched folder
 * it came from and the attempts it took (`ferry history` prints both). The delivery is recorded
 * before its job completes, so the attempt under way is counted in.
 */
export function ledgerWithJobFacts(ledger: DeliveryLedger, jobs: Pick<JobsByFile, 'job'>): DeliveryLedger {
  return {
    find: (sha256, target) => ledger.find(sha256, target),
    has: (sha256, target) => ledger.has(sha256, target),
    findUnchanged: (path, size, mtimeMs, target) => ledger.findUnchanged(path, size, mtimeMs, target),
    record: (entry) => {
      const job = jobs.job(entry.path, entry.target);
      if (job === undefined) return ledger.record(entry);
      return ledger.record({
        ...entry,
        ...(job.folder === undefined ? {} : { folder: job.folder }),
        attempts: job.attempts + 1,
      });
    },
  };
}
