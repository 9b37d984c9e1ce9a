/** Someone waiting for a slot: started with the release function once one is free. */
type Waiter = (release: () => void) => void;

/**
 * Bounded concurrency per target: at most `limit` holders at a time for one vendor,
 * first come first served. Other targets are not held up.
 */
export class TargetSlots {
  private readonly busy = new Map<string, number>();
  /** Waiters by target, in the order they came (a Set: one taken out of the middle costs nothing). */
  private readonly waiting = new Map<string, Set<Waiter>>();

  constructor(private limit: number) {}

  /**
   * Calls `start` with a release function once a slot is free: at once when one is. What waits
   * is `start` alone, no promise or signal. Returns a cancel function, which takes a waiter out
   * of the queue and says whether it did (false once it has started).
   */
  take(target: string, start: Waiter): () => boolean {
    if ((this.busy.get(target) ?? 0) < this.limit) {
      this.grant(target, start);
      return () => false;
    }
    const queue = this.waiting.get(target) ?? new Set<Waiter>();
    queue.add(start);
    this.waiting.set(target, queue);
    return () => queue.delete(start);
  }

  /** Resolves with a release function once a slot is free; rejects if `signal` aborts first. */
  acquire(target: string, signal: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason as Error);
        return;
      }
      let cancel = () => false;
      const onAbort = () => {
        if (cancel()) reject(signal.reason as Error);
      };
      // Listening first: a slot free now starts the waiter, which stops listening, within `take`.
      signal.addEventListener('abort', onAbort, { once: true });
      cancel = this.take(target, (release) => {
        signal.removeEventListener('abort', onAbort);
        resolve(release);
      });
    });
  }

  /**
   * A new limit, from the settings screen. Raising it lets waiting holders start now;
   * lowering it stops none already running, so the count falls as they finish.
   */
  resize(limit: number): void {
    this.limit = limit;
    for (const target of this.waiting.keys()) this.startWaiting(target);
  }

  inUse(target: string): number {
    return this.busy.get(target) ?? 0;
  }

  private grant(target: string, start: Waiter): void {
    this.busy.set(target, (this.busy.get(target) ?? 0) + 1);
    let released = false;
    start(() => {
      if (released) return;
      released = true;
      this.busy.set(target, (this.busy.get(target) ?? 1) - 1);
      this.startWaiting(target);
    });
  }

  /** Hands free slots on in order. After a lowered limit more may be running than allowed: none is free then. */
  private startWaiting(target: string): void {
    const queue = this.waiting.get(target);
    if (queue === undefined) return;
    for (const next of queue) {
      if ((this.busy.get(target) ?? 0) >= this.limit) return;
      queue.delete(next);
      this.grant(target, next);
    }
  }
}
