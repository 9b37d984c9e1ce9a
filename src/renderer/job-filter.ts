import type { JobView } from '../shared/contract.js';
import type { JobStatus } from '../shared/job.js';

export const FILTERS = ['all', 'active', 'attention', 'completed'] as const;
export type JobFilter = (typeof FILTERS)[number];

export const FILTER_LABELS: Readonly<Record<JobFilter, string>> = {
  all: 'All',
  active: 'Active',
  attention: 'Needs attention',
  completed: 'Completed',
};

const ATTENTION: readonly JobStatus[] = ['failed', 'rejected'];

export function matchesFilter(job: JobView, filter: JobFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'attention':
      return ATTENTION.includes(job.status);
    case 'completed':
      return job.status === 'completed';
    case 'active':
      return job.status !== 'completed' && !ATTENTION.includes(job.status);
  }
}

export function filterCounts(jobs: readonly JobView[]): Record<JobFilter, number> {
  const counts: Record<JobFilter, number> = { all: 0, active: 0, attention: 0, completed: 0 };
  for (const job of jobs) for (const filter of FILTERS) if (matchesFilter(job, filter)) counts[filter] += 1;
  return counts;
}

/** The jobs to show: the filter, then a case-insensitive search on the file name; newest first. */
export function visibleJobs(jobs: readonly JobView[], filter: JobFilter, search: string): JobView[] {
  const needle = search.trim().toLowerCase();
  return jobs
    .filter((job) => matchesFilter(job, filter) && (needle === '' || job.file.toLowerCase().includes(needle)))
    .sort((a, b) => b.createdAt - a.createdAt || a.file.localeCompare(b.file));
}
