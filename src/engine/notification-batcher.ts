import { expectationName, type ExpectationStatus } from '../shared/expectations.js';
import { formatStatistics, type ImportStatistics } from '../shared/import-statistics.js';
import type { Clock } from './ports.js';

export interface NotificationSettings {
  readonly enabled: boolean;
  /** Only failures, rejections and a refused token; no "delivered" summaries. */
  readonly errorsOnly: boolean;
}

/** A notification to show; clicking it opens `jobId`, or the list filtered to `filter`. */
export interface FerryNotification {
  readonly title: string;
  readonly body: string;
  readonly jobId?: string;
  readonly filter?: 'completed' | 'attention';
}

export type NotableOutcome =
  | {
      readonly type: 'completed';
      readonly jobId: string;
      readonly file: string;
      /** Remote ids of earlier versions the vendor took before the file changed: it holds them too. */
      readonly superseded?: readonly string[];
      /** What the vendor reported of its import, shown with a lone delivery. */
      readonly statistics?: ImportStatistics;
    }
  | {
      readonly type: 'failed' | 'rejected';
      readonly jobId: string;
      readonly file: string;
      readonly reason: string;
    }
  | { readonly type: 'token-rejected'; readonly target: string }
  | { readonly type: 'token-replaced'; readonly target: string }
  /** An expected file changed: late (told once, when Ferry knows why), delivered or missing. */
  | { readonly type: 'expectation'; readonly status: ExpectationStatus };

export interface BatchTiming {
  /** A burst of deliveries is summed up once it has been quiet this long… */
  readonly quietMs: number;
  /** …or once it has lasted this long, so a long run still reports. */
  readonly maxWaitMs: number;
  /** Problems are shown at once, but at most this many per quiet period; the rest are summed up. */
  readonly immediateLimit: number;
}

export const DEFAULT_BATCH_TIMING: BatchTiming = { quietMs: 3_000, maxWaitMs: 30_000, immediateLimit: 3 };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Turns job outcomes into few, useful notifications: one summary per burst of
 * deliveries ("12 files delivered"), a failure or rejection at once with its
 * reason (a handful at most; a flood is summed up), and "token rejected"
 * once per target until a new token is set.
 */
export class NotificationBatcher {
  private delivered: {
    jobId: string;
    file: string;
    superseded: readonly string[];
    statistics?: ImportStatistics;
  }[] = [];
  private burstStartedAt = 0;
  private immediateShown = 0;
  private heldProblems = 0;
  private timer: AbortController | undefined;
  private readonly tokenNotified = new Set<string>();
  /** Late files told, by folder, descriptor and date: each is told once, until it arrives. */
  private readonly lateNotified = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly settings: () => NotificationSettings,
    private readonly show: (notification: FerryNotification) => void,
    private readonly timing: BatchTiming = DEFAULT_BATCH_TIMING,
  ) {}

  record(outcome: NotableOutcome): void {
    switch (outcome.type) {
      case 'completed':
        if (this.delivered.length === 0) this.burstStartedAt = this.clock.now();
        this.delivered.push({
          jobId: outcome.jobId,
          file: outcome.file,
          superseded: outcome.superseded ?? [],
          ...(outcome.statistics === undefined ? {} : { statistics: outcome.statistics }),
        });
        break;
      case 'failed':
      case 'rejected':
        if (this.immediateShown < this.timing.immediateLimit) {
          this.immediateShown += 1;
          this.notify({
            title:
              outcome.type === 'failed' ? `Delivery failed: ${outcome.file}` : `Not sent: ${outcome.file}`,
            body: outcome.reason,
            jobId: outcome.jobId,
          });
        } else {
          this.heldProblems += 1;
        }
        break;
      case 'token-rejected':
        if (this.tokenNotified.has(outcome.target)) return;
        this.tokenNotified.add(outcome.target);
        this.notify({
          title: `Token rejected for ${outcome.target}`,
          body: 'Nothing is sent to this target until a new token is set in Settings.',
          filter: 'attention',
        });
        return;
      case 'token-replaced':
        this.tokenNotified.delete(outcome.target);
        return;
      case 'expectation':
        this.expectation(outcome.status);
        return;
    }
    this.schedule();
  }

  /** Sends what is waiting now (e.g. before quitting). */
  flush(): void {
    this.timer?.abort();
    this.timer = undefined;
    const delivered = this.delivered;
    const held = this.heldProblems;
    this.delivered = [];
    this.heldProblems = 0;
    this.immediateShown = 0;
    if (held > 0) {
      this.notify({
        title: `${plural(held, 'more file')} need attention`,
        body: 'Open Ferry to see why they were not delivered.',
        filter: 'attention',
      });
    }
    const [only] = delivered;
    if (delivered.length === 1 && only !== undefined) {
      const figures = formatStatistics(only.statistics);
      const earlier =
        only.superseded.length === 0
          ? ''
          : ` — the vendor also took an earlier version (${only.superseded.join(', ')}) before the file changed`;
      const body = `${only.file}${figures === '' ? '' : ` — ${figures}`}${earlier}`;
      this.notify({ title: 'File delivered', body, jobId: only.jobId }, true);
    } else if (delivered.length > 1) {
      const replaced = delivered.filter((d) => d.superseded.length > 0).length;
      const body =
        replaced === 0
          ? 'All arrived.'
          : `All arrived; the vendor also took an earlier version of ${plural(replaced, 'file')} that changed during its upload.`;
      this.notify(
        { title: `${plural(delivered.length, 'file')} delivered`, body, filter: 'completed' },
        true,
      );
    }
  }

  /**
   * A late file is told at once, as a problem. One merely on its way (the agent started after the
   * deadline and is sending it) is not: it clears within moments, and a failure would be told.
   */
  private expectation(status: ExpectationStatus): void {
    const key = `${status.folder}\0${status.descriptor}\0${status.date}`;
    if (status.state === 'delivered') {
      if (this.lateNotified.delete(key))
        this.notify({ title: `${expectationName(status)} arrived`, body: status.file ?? '' }, true);
      return;
    }
    if (status.state !== 'late' || this.lateNotified.has(key)) return;
    if (status.cause === 'on-its-way' || status.cause === 'agent-not-running') return;
    this.lateNotified.add(key);
    this.notify({
      title: `${expectationName(status)} is late`,
      body: status.reason ?? 'It was due and has not been delivered.',
      filter: 'attention',
    });
  }

  private notify(notification: FerryNotification, routine = false): void {
    const { enabled, errorsOnly } = this.settings();
    if (!enabled || (routine && errorsOnly)) return;
    this.show(notification);
  }

  private schedule(): void {
    this.timer?.abort();
    const timer = new AbortController();
    this.timer = timer;
    const sinceBurst = this.delivered.length > 0 ? this.clock.now() - this.burstStartedAt : 0;
    const wait = Math.max(0, Math.min(this.timing.quietMs, this.timing.maxWaitMs - sinceBurst));
    this.clock.sleep(wait, timer.signal).then(
      () => {
        if (this.timer === timer) this.flush();
      },
      () => undefined,
    );
  }
}
