import type { ExpectationStatus } from '../../shared/expectations.js';
import { fileNameOf } from '../../shared/file-name.js';
import type { Clock } from '../ports.js';
import {
  currentDay,
  expectationStatus,
  followed,
  recentStatuses,
  type DeliveredFile,
  type Evidence,
} from './expectation-status.js';
import { folderOfPath } from './expected-files.js';
import { dueAt, periodEnd, type Expectation } from './schedule.js';

/**
 * A timer that fires late by the wall clock (the machine slept) still re-checks within this:
 * timers count only time awake, so a long one set before a suspend would fire long after the
 * deadline it was set for. The host also calls `check()` when it learns of a wake.
 */
export const MAX_TIMER_MS = 60_000;

/**
 * Deliveries older than this cannot belong to an open period (a month's is the longest): they are
 * dropped from memory. `ferry status` reads the ledger itself for the days it shows.
 */
const KEEP_DELIVERIES_MS = 40 * 86_400_000;

/** What the agent knows besides the deliveries the tracker keeps: its jobs and its targets. */
export type LiveEvidence = () => Omit<Evidence, 'delivered'>;

const keyOf = (e: Pick<Expectation, 'folder' | 'descriptor'>) => `${e.folder}\0${e.descriptor}`;

/**
 * Follows each expectation's open period while the agent runs, and tells when one changes: it
 * becomes late at its deadline (or when the agent starts, or the machine wakes, after it), its
 * reason changes, the file arrives, or its period ends without it. The host drives it: `run`
 * sets the timers through the Clock, `check` after an agent event that may matter, `delivered`
 * for each delivery.
 */
export class ExpectationTracker {
  private expectations: readonly Expectation[] = [];
  private delivered: DeliveredFile[] = [];
  /** The last status told per expectation; absent before the first check. */
  private readonly told = new Map<string, ExpectationStatus>();
  private rearm: AbortController | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly live: LiveEvidence,
    private readonly onChange: (status: ExpectationStatus) => void,
  ) {}

  /** What to follow, and the deliveries the ledger holds for it. Checks at once. */
  reset(expectations: readonly Expectation[], delivered: readonly DeliveredFile[]): void {
    this.expectations = expectations;
    for (const key of this.told.keys())
      if (!expectations.some((e) => keyOf(e) === key)) this.told.delete(key);
    this.delivered = delivered.filter((d) => this.concerns(d));
    this.check();
    this.rearm?.abort();
  }

  /** Whether a file (a job's or a delivery's) may count for, or explain, an expectation. */
  concerns(file: { readonly path: string; readonly folder?: string }): boolean {
    const folder = file.folder ?? folderOfPath(file.path);
    const name = fileNameOf(file.path);
    return this.expectations.some(
      (e) => e.folder === folder && name.toLowerCase().startsWith(e.descriptor.toLowerCase()),
    );
  }

  /** A delivery was recorded. */
  recordDelivery(delivery: DeliveredFile): void {
    if (!this.concerns(delivery)) return;
    this.delivered.push(delivery);
    this.check();
  }

  /** The open period of every expectation, as last checked. */
  current(): ExpectationStatus[] {
    return this.expectations.flatMap((e) => {
      const status = this.told.get(keyOf(e));
      return status === undefined ? [] : [status];
    });
  }

  /** Every delivery day of the last `days` days, from what the tracker keeps and the agent knows. */
  recent(days: number, delivered: readonly DeliveredFile[]): ExpectationStatus[] {
    return recentStatuses(this.expectations, this.clock.now(), days, { ...this.live(), delivered });
  }

  /** Works out every open period now and tells what changed. */
  check(): void {
    const now = this.clock.now();
    this.delivered = this.delivered.filter((d) => d.deliveredAt > now - KEEP_DELIVERIES_MS);
    const evidence: Evidence = { ...this.live(), delivered: this.delivered };
    for (const expectation of this.expectations) {
      const key = keyOf(expectation);
      const before = this.told.get(key);
      const day = currentDay(expectation, now);
      // Its open period began before Ferry followed it: nothing is expected until the next one.
      if (!followed(expectation, day)) continue;
      const next = expectationStatus(expectation, day, now, evidence);
      if (before !== undefined && before.date !== next.date && before.state === 'late') {
        // The period of a late file ended: it is missing now (or it came at the last moment).
        this.onChange(expectationStatus(expectation, dayOfStatus(expectation, before), now, evidence));
      }
      this.told.set(key, next);
      if (worthTelling(before, next)) this.onChange(next);
    }
  }

  /** Checks at every deadline and period end until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      this.check();
      const now = this.clock.now();
      const wait = Math.min(MAX_TIMER_MS, Math.max(1, this.nextBoundary(now) - now));
      const rearm = new AbortController();
      this.rearm = rearm;
      // Aborted when stopped (the loop ends) or re-armed for new expectations (it sets a new timer).
      await this.clock.sleep(wait, AbortSignal.any([signal, rearm.signal])).catch(() => undefined);
    }
  }

  /** The next deadline or period end of any expectation. */
  private nextBoundary(now: number): number {
    let next = Number.POSITIVE_INFINITY;
    for (const expectation of this.expectations) {
      const day = currentDay(expectation, now);
      const due = dueAt(expectation, day);
      next = Math.min(next, now < due ? due : periodEnd(expectation, day));
    }
    return next;
  }
}

/** The delivery day of a status told earlier: the day its file's date stands for. */
function dayOfStatus(expectation: Expectation, status: ExpectationStatus) {
  return currentDay(expectation, status.due);
}

/**
 * A change is told when the state changes, or a late file's cause does. At the first check only
 * a late file is told: that it is pending or delivered is no news, that it is late after a
 * restart is.
 */
function worthTelling(before: ExpectationStatus | undefined, next: ExpectationStatus): boolean {
  if (before === undefined) return next.state === 'late';
  if (before.date !== next.date) return next.state === 'late';
  return before.state !== next.state || (next.state === 'late' && before.cause !== next.cause);
}
