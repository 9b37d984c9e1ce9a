import type { JobEvent, JobState } from '../shared/job.js';

/**
 * One job as a delivery sees it: its state, and the one way to change it. Whoever hosts the job
 * (the agent's job book, or a recorder for a one-off upload) applies every event through
 * `transition` and keeps the result as it keeps states; the delivery never writes a state itself.
 */
export interface JobLifecycle {
  readonly state: JobState;
  /** Throws a TransitionError for an event the state cannot take: a bug in the caller. */
  apply(event: JobEvent): void;
}
