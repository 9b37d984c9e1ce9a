import { Counter, Gauge, Registry } from 'prom-client';
import type { AgentEvent } from '../engine/agent/agent-ports.js';
import type { LedgerEntry } from '../engine/delivery-ledger.js';
import { folderOfPath } from '../engine/expectations/expected-files.js';
import type { JobRecord } from '../engine/job-store.js';
import type { ExpectationStatus } from '../shared/expectations.js';
import { isTerminal, type JobStatus } from '../shared/job.js';

/** What the metrics read of the running agent when scraped. */
export interface MetricsSource {
  jobs(): readonly JobRecord[];
  offlineTargets(): readonly string[];
  targets(): readonly string[];
  /** The open period of every expectation. */
  expectations(): readonly ExpectationStatus[];
}

const IN_FLIGHT: readonly JobStatus[] = ['requesting-url', 'uploading', 'processing'];
const OUTCOMES: readonly JobStatus[] = ['completed', 'failed', 'rejected'];

/**
 * The agent as Prometheus metrics (text format, through prom-client): counters that follow the
 * agent's events, gauges read from it at each scrape. Counters start at zero with each run, as
 * Prometheus expects of a restarted process; `rate()` and `increase()` take that into account.
 */
export class FerryMetrics {
  readonly registry = new Registry();
  /** The last status seen per job: a count is taken when a job arrives at an outcome, once. */
  private readonly lastStatus = new Map<string, JobStatus>();
  private readonly delivered: Counter<'target' | 'folder'>;
  private readonly rejected: Counter<'target' | 'folder'>;
  private readonly failed: Counter<'target' | 'folder'>;
  private readonly bytes: Counter<'target' | 'folder'>;
  private readonly lastDelivery: Gauge<'folder'>;

  /** Absent until the agent runs: its gauges read nothing before. */
  private source: MetricsSource | undefined;

  constructor() {
    const registers = [this.registry];
    const perFile = ['target', 'folder'] as const;
    this.delivered = new Counter({
      name: 'ferry_files_delivered_total',
      help: 'Files delivered, per target and watched folder.',
      labelNames: perFile,
      registers,
    });
    this.rejected = new Counter({
      name: 'ferry_files_rejected_total',
      help: 'Files refused before sending (name, content, size), per target and folder.',
      labelNames: perFile,
      registers,
    });
    this.failed = new Counter({
      name: 'ferry_files_failed_total',
      help: 'Deliveries that failed, per target and folder.',
      labelNames: perFile,
      registers,
    });
    this.bytes = new Counter({
      name: 'ferry_bytes_sent_total',
      help: 'Bytes of the files delivered, per target and folder.',
      labelNames: perFile,
      registers,
    });
    this.lastDelivery = new Gauge({
      name: 'ferry_last_delivery_timestamp_seconds',
      help: 'When the last file of each watched folder was delivered (Unix time).',
      labelNames: ['folder'],
      registers,
    });
    const gauge = <L extends string>(
      name: string,
      help: string,
      labelNames: readonly L[],
      read: (source: MetricsSource, set: (labels: Record<L, string>, value: number) => void) => void,
    ) =>
      new Gauge<L>({
        name,
        help,
        labelNames,
        registers,
        collect() {
          this.reset();
          const source = readSource();
          if (source !== undefined)
            read(source, (labels, value) => {
              this.set(labels, value);
            });
        },
      });
    const readSource = () => this.source;
    gauge('ferry_queue_depth', 'Jobs not finished and not in flight, per target.', ['target'], (s, set) => {
      for (const target of s.targets()) set({ target }, 0);
      for (const [target, n] of countBy(
        s.jobs(),
        (j) => !isTerminal(j.state) && !IN_FLIGHT.includes(j.state.status),
      ))
        set({ target }, n);
    });
    gauge('ferry_jobs_in_retry', 'Jobs waiting to try again, per target.', ['target'], (s, set) => {
      for (const target of s.targets()) set({ target }, 0);
      for (const [target, n] of countBy(s.jobs(), (j) => j.state.status === 'retry-wait')) set({ target }, n);
    });
    gauge(
      'ferry_target_offline',
      '1 while a target does not answer at all, else 0.',
      ['target'],
      (s, set) => {
        const offline = s.offlineTargets();
        for (const target of s.targets()) set({ target }, offline.includes(target) ? 1 : 0);
      },
    );
    gauge(
      'ferry_expectation_late',
      "Each expected file's open period: 1 late, 0 on time (delivered or not due yet).",
      ['folder', 'descriptor'],
      (s, set) => {
        for (const status of s.expectations())
          set({ folder: status.folder, descriptor: status.descriptor }, status.state === 'late' ? 1 : 0);
      },
    );
  }

  /** The agent the gauges read from. */
  attach(source: MetricsSource): void {
    this.source = source;
  }

  /** The last delivery of each folder the ledger knows, so the gauge is right from the start. */
  seed(entries: readonly LedgerEntry[]): void {
    for (const entry of entries)
      this.lastDelivery.set({ folder: entry.folder ?? folderOfPath(entry.path) }, entry.deliveredAt / 1000);
  }

  onAgentEvent(event: AgentEvent): void {
    if (event.type === 'job-removed') this.lastStatus.delete(event.id);
    if (event.type !== 'job') return;
    const job = event.job;
    const before = this.lastStatus.get(job.id);
    this.lastStatus.set(job.id, job.state.status);
    // A job already finished when first seen (loaded from the journal) was counted by its own run.
    if (before === undefined || before === job.state.status || OUTCOMES.includes(before)) return;
    const labels = { target: job.target, folder: job.folder ?? '' };
    const status = job.state.status;
    if (status === 'completed') {
      this.delivered.inc(labels);
      this.bytes.inc(labels, job.size ?? 0);
      this.lastDelivery.set({ folder: labels.folder }, job.updatedAt / 1000);
    } else if (status === 'rejected') this.rejected.inc(labels);
    else if (status === 'failed') this.failed.inc(labels);
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

function countBy(jobs: readonly JobRecord[], counted: (job: JobRecord) => boolean): Map<string, number> {
  const counts = new Map<string, number>();
  for (const job of jobs) if (counted(job)) counts.set(job.target, (counts.get(job.target) ?? 0) + 1);
  return counts;
}
