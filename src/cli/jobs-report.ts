import type { JobView } from '../shared/contract.js';
import { formatBytes } from '../shared/format-bytes.js';
import { isTerminal } from '../shared/job.js';
import { figures } from './upload-report.js';

/** A job waiting for a target that does not answer: not a failed attempt, whatever its last error. */
export function waitingOffline(job: JobView, offlineTargets: readonly string[]): boolean {
  return job.status === 'retry-wait' && offlineTargets.includes(job.target);
}

function detail(job: JobView, offlineTargets: readonly string[]): string {
  if (waitingOffline(job, offlineTargets)) return `offline — waiting for ${job.target}`;
  if (job.remoteId !== undefined) return `→ ${job.remoteId}${figures(job)}`;
  if (job.error !== undefined) return job.error.message;
  return job.reason ?? '';
}

/**
 * `ferry jobs` for people: one line per job, oldest first; while targets do not answer, a
 * first line says so and their waiting jobs say "offline — waiting", not their last error.
 */
export function formatJobsTable(jobs: readonly JobView[], offlineTargets: readonly string[] = []): string {
  if (jobs.length === 0) return 'no jobs\n';
  const waiting = jobs.filter((job) => offlineTargets.includes(job.target) && !isTerminal(job.state)).length;
  const header =
    offlineTargets.length === 0
      ? ''
      : `offline — waiting for ${offlineTargets.join(', ')} to answer (${waiting} job${waiting === 1 ? '' : 's'} waiting)\n`;
  const lines = jobs.map((job) =>
    [
      job.id.slice(0, 8),
      job.status.padEnd(17),
      (job.size === undefined ? '' : formatBytes(job.size)).padStart(10),
      ` ${job.file}`,
      detail(job, offlineTargets) === '' ? '' : `  ${detail(job, offlineTargets)}`,
    ].join(' '),
  );
  return `${header}${lines.join('\n')}\n`;
}
