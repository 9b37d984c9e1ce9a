import type { JobView } from '../shared/contract.js';

type Change =
  { readonly kind: 'set'; readonly job: JobView } | { readonly kind: 'remove'; readonly id: string };

export interface ListRequest {
  arrived(list: readonly JobView[]): void;
  failed(): void;
}

/**
 * The window's jobs, from a list asked for and the events that keep it current. A list answers
 * for the moment the agent built it: an event that arrives while it is on its way is newer, so it
 * is applied again over the list rather than lost under it (a job created then would vanish).
 */
export class JobTable {
  private jobs = new Map<string, JobView>();
  /** The events heard while each list asked for is on its way. */
  private readonly heardWhileLoading = new Set<Change[]>();

  set(job: JobView): void {
    this.change({ kind: 'set', job });
  }

  remove(id: string): void {
    this.change({ kind: 'remove', id });
  }

  /** Call when asking for the list; tell the answer, or that none will come, to what it returns. */
  load(): ListRequest {
    const heard: Change[] = [];
    this.heardWhileLoading.add(heard);
    return {
      arrived: (list) => {
        this.heardWhileLoading.delete(heard);
        this.jobs = new Map(list.map((job) => [job.id, job]));
        for (const change of heard) applyTo(this.jobs, change);
      },
      failed: () => {
        this.heardWhileLoading.delete(heard);
      },
    };
  }

  all(): JobView[] {
    return [...this.jobs.values()];
  }

  private change(change: Change): void {
    applyTo(this.jobs, change);
    for (const heard of this.heardWhileLoading) heard.push(change);
  }
}

function applyTo(jobs: Map<string, JobView>, change: Change): void {
  if (change.kind === 'set') jobs.set(change.job.id, change.job);
  else jobs.delete(change.id);
}
