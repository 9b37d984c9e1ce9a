import type { DeliveryError } from './delivery-error.js';
import { Reachability } from './reachability.js';

/**
 * What every job of one target shares: a rate limit slows them all, a rejected token stops
 * them all. One gate per target, handed to each delivery; its only state is these two facts.
 */
export class TargetGate {
  /** Whether the target answers at all; while it does not, its jobs wait instead of failing. */
  readonly reachability = new Reachability();
  #openAt = 0;
  #stoppedBy: DeliveryError | undefined;

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
    return true;
  }

  /** After the user replaced the token. */
  restart(): void {
    this.#stoppedBy = undefined;
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
