/**
 * One job's run, started or waiting for a place in its lane. A waiting run is this record and
 * its two callbacks: no signal, no promise chain of its own, nothing read.
 */
interface Run {
  readonly lane: string;
  /** Set when the run starts. */
  controller?: AbortController;
  /** Whether it counts against its lane (from its start until it ends or is held for a token). */
  holdsPlace: boolean;
  begin(): void;
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
  private readonly placesTaken = new Map<string, number>();
  /** Runs waiting for a place, by lane, in the order they came. */
  private readonly waiting = new Map<string, Set<Run>>();

  constructor(
    /** Whether a job not held for a token is still to be done (paused and finished jobs are not). */
    private readonly jobsLeft: (held: ReadonlySet<string>) => boolean,
    private readonly onEventError: (path: string, error: unknown) => void,
    private readonly runsPerLane = Number.POSITIVE_INFINITY,
  ) {}

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
        this.leaveLane(run);
        resolve();
      };
      const run: Run = {
        lane,
        holdsPlace: false,
        begin: () => {
          run.controller = new AbortController();
          void work(run.controller.signal).catch(settle).finally(finish);
        },
        drop: (reason) => {
          void settle(reason).finally(finish);
        },
      };
      this.runs.set(id, run);
      this.enterLane(run);
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
    if (run.controller !== undefined) {
      run.controller.abort(reason);
      return;
    }
    if (this.waiting.get(run.lane)?.delete(run) === true) run.drop(reason);
  }

  private enterLane(run: Run): void {
    if ((this.placesTaken.get(run.lane) ?? 0) < this.runsPerLane) {
      this.takePlace(run);
      run.begin();
      return;
    }
    const queue = this.waiting.get(run.lane) ?? new Set<Run>();
    queue.add(run);
    this.waiting.set(run.lane, queue);
  }

  private takePlace(run: Run): void {
    run.holdsPlace = true;
    this.placesTaken.set(run.lane, (this.placesTaken.get(run.lane) ?? 0) + 1);
  }

  /** The run gives its place up (it ended, or waits for a token): the next waiting one starts. */
  private leaveLane(run: Run): void {
    if (!run.holdsPlace) return;
    run.holdsPlace = false;
    this.placesTaken.set(run.lane, (this.placesTaken.get(run.lane) ?? 1) - 1);
    const queue = this.waiting.get(run.lane);
    const next = queue?.values().next().value;
    if (queue === undefined || next === undefined) return;
    queue.delete(next);
    this.takePlace(next);
    next.begin();
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
    const run = this.runs.get(id);
    if (held && run !== undefined) this.leaveLane(run);
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
