import type { DeliveryError } from './delivery-error.js';
import { Reachability, type ReachabilityOptions } from './reachability.js';

/**
 * What every job of one target shares: a rate limit slows them all, a rejected token stops
 * them all. One gate per target, handed to each delivery; its only state is these two facts.
 */
export class TargetGate {
  /** Whether the target answers at all; while it does not, its jobs wait instead of failing. */
  readonly reachability: Reachability;
  #openAt = 0;
  #stoppedBy: DeliveryError | undefined;
  #restarted: (() => void)[] = [];
  readonly #stopListeners = new Set<(stoppedBy: DeliveryError | undefined) => void>();

  constructor(options: ReachabilityOptions = {}) {
    this.reachability = new Reachability(options);
  }

  /** The error that stopped the target, if any: no request may be sent while it stands. */
  get stoppedBy(): DeliveryError | undefined {
    return this.#stoppedBy;
  }

  /** No request for this target before this time (ms since the epoch). */
  get openAt(): number {
    return this.#openAt;
  }

  /**
   * Stops the target. Returns true for the first stop only, so the user is told once
   * however many jobs hit the same 401.
   */
  stop(error: DeliveryError): boolean {
    if (this.#stoppedBy !== undefined) return false;
    this.#stoppedBy = error;
    for (const listener of this.#stopListeners) listener(error);
    return true;
  }

  /** Told of the first stop (with its error) and of the restart after it (undefined). */
  onStopChange(listener: (stoppedBy: DeliveryError | undefined) => void): () => void {
    this.#stopListeners.add(listener);
    return () => this.#stopListeners.delete(listener);
  }

  /** After the user replaced the token. */
  restart(): void {
    if (this.#stoppedBy === undefined) return;
    this.#stoppedBy = undefined;
    for (const listener of this.#stopListeners) listener(undefined);
    const waiting = this.#restarted;
    this.#restarted = [];
    for (const resume of waiting) resume();
  }

  /** Resolves at the next `restart`, or at once when the target is not stopped. */
  whenRestarted(signal: AbortSignal): Promise<void> {
    if (this.#stoppedBy === undefined) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#restarted = this.#restarted.filter((r) => r !== resume);
        reject(signal.reason as Error);
      };
      const resume = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      this.#restarted.push(resume);
    });
  }

  /** Holds every job of the target until `until`; an earlier deadline never shortens a later one. */
  slowDown(until: number): void {
    this.#openAt = Math.max(this.#openAt, until);
  }

  /** How long a job must wait before its next request. */
  waitMs(now: number): number {
    return Math.max(0, this.#openAt - now);
  }
}
