import { transition, type JobEvent, type JobState } from '../shared/job.js';
import type { JobLifecycle } from './job-lifecycle.js';
import type { Clock } from './ports.js';

export interface HistoryEntry {
  readonly at: number;
  readonly state: JobState;
}

/**
 * One job's current state and the history of its state changes, in memory: the host of a
 * one-off delivery (`ferry upload`). Progress within an upload updates the state but is not
 * history: a 5 GB file would otherwise leave tens of thousands of entries.
 */
export class JobRecorder implements JobLifecycle {
  #state: JobState;
  readonly #history: HistoryEntry[];

  constructor(
    private readonly clock: Clock,
    initial: JobState,
    private readonly onChange: (state: JobState, at: number) => void = () => undefined,
  ) {
    this.#state = initial;
    this.#history = [{ at: clock.now(), state: initial }];
  }

  get state(): JobState {
    return this.#state;
  }

  get history(): readonly HistoryEntry[] {
    return this.#history;
  }

  apply(event: JobEvent): void {
    const next = transition(this.#state, event);
    this.#state = next;
    if (event.type === 'progress') return;
    const at = this.clock.now();
    this.#history.push({ at, state: next });
    this.onChange(next, at);
  }
}
