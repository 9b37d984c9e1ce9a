import type { JobView } from '../shared/contract.js';
import { formatBytes } from '../shared/format-bytes.js';

function detail(job: JobView): string {
  if (job.remoteId !== undefined) return `→ ${job.remoteId}`;
  if (job.error !== undefined) return job.error.message;
  return job.reason ?? '';
}

/** `ferry jobs` for people: one line per job, oldest first. */
export function formatJobsTable(jobs: readonly JobView[]): string {
  if (jobs.length === 0) return 'no jobs\n';
  const lines = jobs.map((job) =>
    [
      job.id.slice(0, 8),
      job.status.padEnd(17),
      (job.size === undefined ? '' : formatBytes(job.size)).padStart(10),
      ` ${job.file}`,
      detail(job) === '' ? '' : `  ${detail(job)}`,
    ].join(' '),
  );
  return `${lines.join('\n')}\n`;
}
