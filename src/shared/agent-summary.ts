import type { ExpectationStatus } from './expectations.js';
import type { JobStatus } from './job.js';

/** A delivered file, for "last deliveries" lists. */
export interface RecentDelivery {
  readonly jobId: string;
  readonly file: string;
  readonly at: number;
}

/** What the tray and the window header need to know about the agent, at a glance. */
export interface AgentSummary {
  readonly counts: Readonly<Partial<Record<JobStatus, number>>>;
  readonly paused: boolean;
  /** Targets whose token the vendor refused: nothing is sent to them until a new token is set. */
  readonly tokenRejected: readonly string[];
  /** The vendor or the network cannot be reached: jobs wait instead of failing. */
  readonly offline: boolean;
  /** The targets that cannot be reached while jobs wait for them; empty unless `offline`. */
  readonly offlineTargets: readonly string[];
  /** Upload rate across all jobs, bytes per second. */
  readonly bytesPerSecond: number;
  /** Newest first. */
  readonly recent: readonly RecentDelivery[];
  readonly folders: readonly string[];
  /** Watched folders that are not there (an unplugged drive, a renamed folder), in `folders` order. */
  readonly missingFolders: readonly string[];
  /** Expected files due and not delivered, in their open period. */
  readonly lateExpectations: readonly ExpectationStatus[];
}

const count = (summary: AgentSummary, ...statuses: JobStatus[]) =>
  statuses.reduce((sum, status) => sum + (summary.counts[status] ?? 0), 0);

/** Jobs sending bytes or talking to the vendor right now. */
export const inFlight = (s: AgentSummary) => count(s, 'requesting-url', 'uploading', 'processing');

/** Jobs not finished yet: in flight, queued, settling or waiting to retry. */
export const pending = (s: AgentSummary) =>
  inFlight(s) + count(s, 'queued', 'waiting-for-write', 'retry-wait', 'paused');

/** Failed and rejected jobs: a person has to look at them. */
export const needingAttention = (s: AgentSummary) => count(s, 'failed', 'rejected');
