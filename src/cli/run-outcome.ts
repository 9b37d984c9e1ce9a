import type { JobRecord } from '../engine/job-store.js';
import { isTerminal } from '../shared/job.js';

/**
 * What a `ferry watch --once` run came to, over every file it answers for: the jobs it moved,
 * and the files still in its folders whose standing outcome it did not move (delivered by an
 * earlier run, or refused then and unchanged since, which this run must not pass over in
 * silence).
 */
export interface RunOutcome {
  readonly files: number;
  readonly delivered: number;
  readonly deliveredBefore: number;
  readonly rejected: number;
  readonly failed: number;
  /** Held for a new token, or otherwise not finished when the run ended. */
  readonly waiting: number;
  /** Files refused or failed before this run, and unchanged since: told again. */
  readonly still: readonly JobRecord[];
}

/** The latest job of each path. */
function latestByPath(jobs: readonly JobRecord[]): JobRecord[] {
  const latest = new Map<string, JobRecord>();
  for (const job of jobs) {
    const known = latest.get(job.path);
    if (known === undefined || job.createdAt >= known.createdAt) latest.set(job.path, job);
  }
  return [...latest.values()];
}

/**
 * `since`: when the run started; `folders`: the folders it watched; `present`: whether a path is
 * still there (a file removed since an earlier run is no longer this run's concern).
 */
export function runOutcome(
  jobs: readonly JobRecord[],
  since: number,
  folders: readonly string[],
  present: (path: string) => boolean,
): RunOutcome {
  const counts = { delivered: 0, deliveredBefore: 0, rejected: 0, failed: 0, waiting: 0 };
  const still: JobRecord[] = [];
  let files = 0;
  for (const job of latestByPath(jobs)) {
    const moved = job.updatedAt >= since;
    const standing = !moved && job.folder !== undefined && folders.includes(job.folder) && present(job.path);
    if (!moved && !standing) continue;
    files += 1;
    const { status } = job.state;
    if (!isTerminal(job.state)) counts.waiting += 1;
    else if (status === 'completed') counts[moved ? 'delivered' : 'deliveredBefore'] += 1;
    else {
      counts[status === 'failed' ? 'failed' : 'rejected'] += 1;
      if (standing) still.push(job);
    }
  }
  // By name, so two runs over the same folder tell the same lines in the same order.
  still.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, ...counts, still };
}

/** Whether a file of the run was refused or failed, in it or before it: its exit code is 1. */
export function needsAttention(outcome: RunOutcome): boolean {
  return outcome.rejected + outcome.failed > 0;
}

/** `35 files: 30 delivered, 5 rejected, 0 failed` (and what was delivered before, or still waits). */
export function formatRunOutcome(outcome: RunOutcome): string {
  const parts = [
    `${outcome.delivered} delivered`,
    ...(outcome.deliveredBefore > 0 ? [`${outcome.deliveredBefore} delivered before`] : []),
    `${outcome.rejected} rejected`,
    `${outcome.failed} failed`,
    ...(outcome.waiting > 0 ? [`${outcome.waiting} waiting`] : []),
  ];
  return `${outcome.files} file${outcome.files === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/** The `--json` line of the same. */
export function runOutcomeRecord(outcome: RunOutcome): Record<string, unknown> {
  const { files, delivered, deliveredBefore, rejected, failed, waiting } = outcome;
  return { event: 'summary', files, delivered, deliveredBefore, rejected, failed, waiting };
}
