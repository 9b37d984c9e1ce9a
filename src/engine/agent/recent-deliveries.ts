import type { RecentDelivery } from '../../shared/agent-summary.js';
import { fileNameOf } from '../../shared/file-name.js';
import type { JobRecord } from '../job-store.js';

/**
 * The `count` most recently completed jobs, newest first, in one pass over the list: the
 * summary is asked for often and the list can hold thousands of jobs, so no sort of them all.
 * Jobs completed at the same moment keep their order in the list, as a stable sort would.
 */
export function recentDeliveries(jobs: Iterable<JobRecord>, count: number): RecentDelivery[] {
  const newest: JobRecord[] = [];
  if (count <= 0) return [];
  for (const job of jobs) {
    if (job.state.status !== 'completed') continue;
    const oldest = newest.at(-1);
    if (newest.length === count && oldest !== undefined && job.updatedAt <= oldest.updatedAt) continue;
    const at = newest.findIndex((kept) => kept.updatedAt < job.updatedAt);
    newest.splice(at === -1 ? newest.length : at, 0, job);
    if (newest.length > count) newest.pop();
  }
  return newest.map((job) => ({ jobId: job.id, file: fileNameOf(job.path), at: job.updatedAt }));
}
