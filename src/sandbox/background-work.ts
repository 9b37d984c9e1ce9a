/**
 * Work the sandbox does after answering (imports, form tasks). Tracked so that close()
 * can wait for it instead of tearing the object store down underneath it.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  /** Runs `work` after `delayMs`; failures are reported through `onError`, never thrown. */
  later(delayMs: number, work: () => Promise<void>, onError: (error: unknown) => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const job = work().catch(onError);
      this.running.add(job);
      void job.finally(() => this.running.delete(job));
    }, delayMs);
    this.timers.add(timer);
  }

  /** Cancels work not yet started and waits for the rest. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.running]);
  }
}
