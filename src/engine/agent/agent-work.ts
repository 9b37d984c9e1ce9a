/**
 * The agent's work in flight, and when there is none left: one run per job (a new run of a job
 * stops the one before), the events of one path handled in order, the folders whose first scan
 * is not done, and the jobs held for a new token (not work the agent can finish on its own).
 */
export class AgentWork {
  private readonly runs = new Map<string, AbortController>();
  /** Promises of job runs (`job:<id>`) and of each path's folder events. */
  private readonly pending = new Map<string, Promise<void>>();
  private readonly unscanned = new Set<string>();
  private readonly held = new Set<string>();
  private idleWaiters: (() => void)[] = [];

  constructor(
    /** Whether a job not held for a token is still to be done (paused and finished jobs are not). */
    private readonly jobsLeft: (held: ReadonlySet<string>) => boolean,
    private readonly onEventError: (path: string, error: unknown) => void,
  ) {}

  /** Starts a job's run; whatever stops it early reaches `settle`, which records the outcome. */
  run(
    id: string,
    supersede: Error,
    work: (signal: AbortSignal) => Promise<void>,
    settle: (error: unknown) => Promise<void>,
  ): void {
    const controller = new AbortController();
    this.runs.get(id)?.abort(supersede);
    this.runs.set(id, controller);
    const key = `job:${id}`;
    const done = work(controller.signal)
      .catch(settle)
      .finally(() => {
        if (this.runs.get(id) === controller) this.runs.delete(id);
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
    this.runs.get(id)?.abort(reason);
    await this.pending.get(`job:${id}`);
  }

  /** Stops every run with `reason`, and waits for all work in flight. */
  async stopAll(reason: Error): Promise<void> {
    for (const controller of this.runs.values()) controller.abort(reason);
    await Promise.allSettled([...this.pending.values()]);
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

  heldForToken(id: string, held: boolean): void {
    if (held) this.held.add(id);
    else this.held.delete(id);
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
