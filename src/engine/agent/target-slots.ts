/**
 * Bounded concurrency per target: at most `limit` deliveries to one vendor
 * at a time, first come first served. Other targets are not held up.
 */
export class TargetSlots {
  private readonly busy = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private limit: number) {}

  /** Resolves with a release function once a slot is free; rejects if `signal` aborts first. */
  acquire(target: string, signal: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        this.busy.set(target, (this.busy.get(target) ?? 0) + 1);
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.busy.set(target, (this.busy.get(target) ?? 1) - 1);
          // After a lowered limit, more may be running than allowed: the freed slot is not handed on.
          if ((this.busy.get(target) ?? 0) < this.limit) this.waiting.get(target)?.shift()?.();
        });
      };
      const onAbort = () => {
        const queue = this.waiting.get(target) ?? [];
        queue.splice(queue.indexOf(grant), 1);
        reject(signal.reason as Error);
      };
      if (signal.aborted) {
        reject(signal.reason as Error);
        return;
      }
      if ((this.busy.get(target) ?? 0) < this.limit) {
        grant();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      const queue = this.waiting.get(target) ?? [];
      queue.push(grant);
      this.waiting.set(target, queue);
    });
  }

  /**
   * A new limit, from the settings screen. Raising it lets waiting deliveries start now;
   * lowering it stops none already running, so the count falls as they finish.
   */
  resize(limit: number): void {
    this.limit = limit;
    for (const [target, queue] of this.waiting) {
      while (queue.length > 0 && (this.busy.get(target) ?? 0) < this.limit) queue.shift()?.();
    }
  }

  inUse(target: string): number {
    return this.busy.get(target) ?? 0;
  }
}
