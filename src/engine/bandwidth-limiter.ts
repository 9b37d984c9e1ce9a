import type { Clock } from './ports.js';

/** Whether the cap applies at `now` (ms since the epoch): a schedule, or always. */
export type CapActive = (now: number) => boolean;

/**
 * One upload rate cap shared by every upload of the process. Each chunk reserves its slot
 * on a single timeline (`#next`) and waits for it, so concurrent uploads split the cap
 * between them instead of each getting all of it. Idle time is not banked: after a pause
 * the first chunk goes at once, the rest at the cap.
 */
export class BandwidthLimiter {
  #next = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    readonly bytesPerSecond: number,
    private readonly active: CapActive = () => true,
  ) {}

  /** The largest piece to send at once: small enough to keep progress flowing every ~125 ms. */
  get sliceBytes(): number {
    return Math.max(16 * 1024, Math.floor(this.bytesPerSecond / 8));
  }

  /** Resolves when `bytes` may be sent; rejects with `signal.reason` if aborted meanwhile. */
  async take(bytes: number, signal: AbortSignal): Promise<void> {
    const now = this.clock.now();
    if (!this.active(now)) return;
    const start = Math.max(this.#next, now);
    this.#next = start + (bytes * 1_000) / this.bytesPerSecond;
    if (start > now) await this.clock.sleep(start - now, signal);
  }
}
