import { DeliveryError } from './delivery-error.js';
import type { Clock } from './ports.js';

/** How often the headless watch sets its timer. */
export const SLEEP_TICK_MS = 5_000;
/**
 * How late a timer may fire before the machine is taken to have slept. A busy event loop on a
 * loaded machine makes timers a second or two late; a suspend makes them minutes or hours late.
 * Well short of what idle connections and NAT tables survive, so a wake is not missed.
 */
export const SLEEP_THRESHOLD_MS = 30_000;

/** One timer of the watch: when it was set (wall clock), for how long, and when it fired. */
export interface Tick {
  readonly startedAt: number;
  readonly waitedMs: number;
  readonly firedAt: number;
}

/**
 * How long the machine slept during one tick, or undefined when it did not. Timers count only
 * time the machine was awake (they run on a monotonic clock that stops in a suspend), while
 * the wall clock runs on: a timer that fires much later, by the wall clock, than it was set
 * for spanned a sleep. A wall clock set back makes a timer look early, never late.
 */
export function sleptDuring(tick: Tick, thresholdMs = SLEEP_THRESHOLD_MS): number | undefined {
  const late = tick.firedAt - tick.startedAt - tick.waitedMs;
  return late > thresholdMs ? late : undefined;
}

/** The code of `wokeError`: the engine waits for the target, as for one that does not answer. */
export const WOKE_CODE = 'EWOKE';

/** What a request that was in flight when the machine slept fails with: retried, never a failure. */
export function wokeError(sleptMs: number): DeliveryError {
  const minutes = Math.round(sleptMs / 60_000);
  const slept = minutes >= 1 ? `slept ${minutes} min` : 'slept';
  return new DeliveryError('network', `the machine ${slept}: sending again with a fresh URL`, {
    code: WOKE_CODE,
  });
}

export type WakeSource = 'clock-jump' | 'resume';

export interface Wake {
  readonly source: WakeSource;
  /** How long the machine slept, as far as is known (0 when the OS said so without a suspend time). */
  readonly sleptMs: number;
  readonly at: number;
}

/**
 * Notices that the machine slept and woke up, and says so once per wake: the app hears it
 * from the OS (Electron's powerMonitor), a headless agent from its own timer firing late.
 * Both are fed here so a wake both of them notice restarts uploads once, not twice.
 */
export class SleepWatch {
  #suspendedAt: number | undefined;
  #lastWakeAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly onWake: (wake: Wake) => void,
    private readonly options: { readonly tickMs?: number; readonly thresholdMs?: number } = {},
  ) {}

  /** The OS says the machine is about to sleep. Nothing is aborted: the journal holds every job's state. */
  suspended(): void {
    this.#suspendedAt = this.clock.now();
  }

  /** The OS says the machine woke up. */
  resumed(): void {
    const at = this.clock.now();
    const since = this.#suspendedAt;
    this.#suspendedAt = undefined;
    // The late timer told of this wake first: it was handled then.
    if (since !== undefined && this.#lastWakeAt > since) return;
    this.#wake({ source: 'resume', sleptMs: since === undefined ? 0 : Math.max(0, at - since), at });
  }

  /** Sets one timer after another until `signal` aborts; a timer that fires late means a sleep. */
  async watch(signal: AbortSignal): Promise<void> {
    const tickMs = this.options.tickMs ?? SLEEP_TICK_MS;
    while (!signal.aborted) {
      const startedAt = this.clock.now();
      try {
        await this.clock.sleep(tickMs, signal);
      } catch {
        return;
      }
      const firedAt = this.clock.now();
      const slept = sleptDuring({ startedAt, waitedMs: tickMs, firedAt }, this.options.thresholdMs);
      // The OS told of this very wake while the timer was pending: it was handled then.
      if (slept !== undefined && this.#lastWakeAt < startedAt)
        this.#wake({ source: 'clock-jump', sleptMs: slept, at: firedAt });
    }
  }

  #wake(wake: Wake): void {
    this.#lastWakeAt = wake.at;
    this.onWake(wake);
  }
}
