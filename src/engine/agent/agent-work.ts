import { TargetSlots } from './target-slots.js';

/**
 * One job's run, started or waiting for a place in its lane. A waiting run is this record and
 * its two callbacks: no signal, no promise chain of its own, nothing read.
 */
interface Run {
  /** Set when the run starts. */
  controller?: AbortController;
  /** Takes a waiting run out of its lane's queue; false once it has started. */
  cancel: () => boolean;
  /** Gives the run's place up (it ended, or waits for a token); harmless twice. */
  release?: () => void;
  /** Ends a run that never started, as a stop would have ended it. */
  drop(reason: Error): void;
}

/**
 * The agent's work in flight, and when there is none left: one run per job (a new run of a job
 * stops the one before), the events of one path handled in order, the folders whose first scan
 * is not done, and the jobs held for a new token (not work the agent can finish on its own).
 *
 * At most `runsPerLane` runs of one lane (a target) go at a time; the others wait, first come
 * first served, as small records. A run that has begun holds a suspended call chain, a signal
 * and its timers, a few kilobytes: 10,000 files found at once would otherwise be 10,000 of them.
 */
export class AgentWork {
  private readonly runs = new Map<string, Run>();
  /** Promises of job runs (`job:<id>`) and of each path's folder events. */
  private readonly pending = new Map<string, Promise<void>>();
  private readonly unscanned = new Set<string>();
  private readonly held = new Set<string>();
  private idleWaiters: (() => void)[] = [];
  private readonly lanes: TargetSlots;

  constructor(
    /** Whether a job not held for a token is still to be done (paused and finished jobs are not). */
    private readonly jobsLeft: (held: ReadonlySet<string>) => boolean,
    private readonly onEventError: (path: string, error: unknown) => void,
    runsPerLane = Number.POSITIVE_INFINITY,
  ) {
    this.lanes = new TargetSlots(runsPerLane);
  }

  /**
   * Starts a job's run in `lane`, or queues it while the lane is full; whatever stops it early
   * (before or after it starts) reaches `settle`, which records the outcome.
   */
  run(
    id: string,
    supersede: Error,
    work: (signal: AbortSignal) => Promise<void>,
    settle: (error: unknown) => Promise<void>,
    lane = '',
  ): void {
    const previous = this.runs.get(id);
    if (previous !== undefined) this.end(previous, supersede);
    const key = `job:${id}`;
    const done = new Promise<void>((resolve) => {
      const finish = () => {
        if (this.runs.get(id) === run) this.runs.delete(id);
        run.release?.();
        resolve();
      };
      const run: Run = {
        cancel: () => false,
        drop: (reason) => {
          void settle(reason).finally(finish);
        },
      };
      this.runs.set(id, run);
      run.cancel = this.lanes.take(lane, (release) => {
        run.release = release;
        run.controller = new AbortController();
        void work(run.controller.signal).catch(settle).finally(finish);
      });
    });
    this.pending.set(key, done);
    void done.finally(() => {
      if (this.pending.get(key) === done) this.pending.delete(key);
      this.check();
    });
  }

  isRunning(id: string): boolean {
    return this.runs.has(id);
  }

  /** Stops a job's run with `reason` and resolves once it has ended; at once when none runs. */
  async stop(id: string, reason: Error): Promise<void> {
    const run = this.runs.get(id);
    if (run !== undefined) this.end(run, reason);
    await this.pending.get(`job:${id}`);
  }

  /** Stops every run with `reason`, and waits for all work in flight. */
  async stopAll(reason: Error): Promise<void> {
    const runs = [...this.runs.values()];
    // The waiting first: a started run that ends would otherwise let the next one in.
    for (const run of runs) if (run.controller === undefined) this.end(run, reason);
    for (const run of runs) if (run.controller !== undefined) this.end(run, reason);
    await Promise.allSettled([...this.pending.values()]);
  }

  private end(run: Run, reason: Error): void {
    if (run.controller !== undefined) run.controller.abort(reason);
    else if (run.cancel()) run.drop(reason);
  }

  /** Events for one path are handled in order, so an add and a change never make two jobs. */
  inOrder(path: string, work: () => Promise<void>): void {
    const done = (this.pending.get(path) ?? Promise.resolve()).then(work, work).catch((error: unknown) => {
      this.onEventError(path, error);
    });
    this.pending.set(path, done);
    void done.finally(() => {
      if (this.pending.get(path) === done) this.pending.delete(path);
      this.check();
    });
  }

  scanning(folder: string): void {
    this.unscanned.add(folder);
  }

  scanned(folder: string): void {
    this.unscanned.delete(folder);
    this.check();
  }

  forgetScans(): void {
    this.unscanned.clear();
  }

  /**
   * A job waits for its target's new token, or no longer. While it waits it gives its place up:
   * the jobs behind it go as far as the token check too, so that the agent can tell it is idle.
   */
  heldForToken(id: string, held: boolean): void {
    if (held) this.held.add(id);
    else this.held.delete(id);
    if (held) this.runs.get(id)?.release?.();
    this.check();
  }

  /** Resolves once every folder has been scanned and no job is left to do. */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.check();
    });
  }

  /** Tells the idle waiters when nothing is left; call it after anything that may have finished work. */
  check(): void {
    if (this.idleWaiters.length === 0 || this.unscanned.size > 0) return;
    // Work held for a new token is not work the agent can finish on its own.
    if (this.pending.size > this.held.size || this.jobsLeft(this.held)) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
