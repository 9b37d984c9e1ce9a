import { DeliveryError } from './delivery-error.js';
import type { Clock, Http } from './ports.js';
import { backoffCeiling } from './retry-policy.js';
import { WOKE_CODE } from './sleep-watch.js';
import { withStallGuard } from './stall-guard.js';

/**
 * Error codes meaning "nothing answered at all": the network is down, DNS is gone, the
 * vendor (or the proxy's way to it) is off. Waiting for it to come back is not a failed
 * attempt: a night offline must not burn a job's retry budget. A reset mid-transfer is not
 * here: the vendor was there and dropped us, which the budget is for. Nor is ETIMEDOUT: it
 * also names a socket that went quiet mid-request, so a black-holed network still spends
 * the budget (slowly: each attempt waits for the connect timeout).
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  // The proxy answered, but could not reach the vendor.
  'EPROXY',
  // The machine slept mid-request: the network may not be back yet, and the time asleep is no
  // failed attempt. Waiting for the target to answer, then starting over, is the right move.
  WOKE_CODE,
]);

export function isUnreachable(error: DeliveryError): boolean {
  return error.kind === 'network' && error.code !== undefined && UNREACHABLE_CODES.has(error.code);
}

/** Probes start quick (a blip is over in seconds) and settle at one every 30 s. */
const PROBE_INTERVALS = { baseDelayMs: 1_000, maxDelayMs: 30_000 } as const;
/** A probe that gets no answer within this is a failed probe, not a hung one. */
const PROBE_TIMEOUT_MS = 10_000;

export interface ProbePorts {
  readonly clock: Clock;
  readonly http: Http;
  /** Uniform in [0, 1). */
  readonly random: () => number;
}

export interface ReachabilityOptions {
  /**
   * How long a job waits for the target before it gives up; undefined waits as long as it
   * takes (the agent: a night offline ends in delivery). A one-shot command sets a limit.
   */
  readonly giveUpAfterMs?: number;
}

/** How a probe loop ended: the target answered, or nobody waited for it any more. */
type ProbeEnd = 'answered' | 'stopped';

/**
 * Whether one target can be reached, shared by all its jobs like the TargetGate: the first
 * job that finds it unreachable starts one probe loop (any HTTP answer from `url` means it is
 * back); every other job waits on the same loop instead of probing or failing on its own.
 */
export class Reachability {
  #probing: Promise<ProbeEnd> | undefined;
  /**
   * When the target stopped answering; cleared only by an answer. Waits share it: once one
   * job gave up, the next one does not wait the whole limit again for the same outage.
   */
  #offlineSince: number | undefined;
  /** Stops the probe loop once no job waits any more (all paused, or all gave up). */
  #stopProbing: AbortController | undefined;
  #waiters = 0;
  readonly #listeners = new Set<(offline: boolean) => void>();

  constructor(private readonly options: ReachabilityOptions = {}) {}

  /** The failure of a job that waited the whole `giveUpAfterMs` after `cause`. */
  gaveUp(cause: DeliveryError): DeliveryError {
    const seconds = Math.round((this.options.giveUpAfterMs ?? 0) / 1000);
    const waited = seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
    return new DeliveryError(
      'network',
      `${cause.message}; still no answer after ${waited}, so Ferry gave up`,
      {
        ...(cause.code === undefined ? {} : { code: cause.code }),
      },
    );
  }

  /** True while jobs of this target wait for it to come back: the UI says "offline — waiting". */
  get offline(): boolean {
    return this.#probing !== undefined;
  }

  /** Called with the new value whenever `offline` changes. Returns the unsubscribe. */
  onChange(listener: (offline: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Resolves to true once `url` answers again, or to false once `giveUpAfterMs` has passed
   * since the target stopped answering; rejects with `signal.reason` when this job is paused.
   */
  async waitUntilReachable(ports: ProbePorts, url: string, signal: AbortSignal): Promise<boolean> {
    signal.throwIfAborted();
    this.#waiters += 1;
    this.#offlineSince ??= ports.clock.now();
    const limit = this.options.giveUpAfterMs;
    const deadline = new AbortController();
    // Never settles without a limit; a rejected sleep (the deadline dropped below) comes too late to matter.
    const late =
      limit === undefined
        ? new Promise<'late'>(() => undefined)
        : ports.clock
            .sleep(Math.max(0, this.#offlineSince + limit - ports.clock.now()), deadline.signal)
            .then(
              () => 'late' as const,
              () => 'late' as const,
            );
    try {
      for (;;) {
        const outcome = await Promise.race([abortable(this.#probeLoop(ports, url), signal), late]);
        if (outcome !== 'stopped') return outcome === 'answered';
        // The loop stopped just as this job joined it (every other job had left): start another.
      }
    } finally {
      deadline.abort();
      this.#waiters -= 1;
      if (this.#waiters === 0) this.#stopProbing?.abort();
    }
  }

  /** The probe loop every waiting job shares, started by the first. */
  #probeLoop(ports: ProbePorts, url: string): Promise<ProbeEnd> {
    if (this.#probing !== undefined) return this.#probing;
    const stop = new AbortController();
    this.#stopProbing = stop;
    this.#probing = this.#probe(ports, url, stop.signal).then((end) => {
      if (end === 'answered') this.#offlineSince = undefined;
      this.#probing = undefined;
      this.#emit(false);
      return end;
    });
    this.#emit(true);
    return this.#probing;
  }

  async #probe(ports: ProbePorts, url: string, stop: AbortSignal): Promise<ProbeEnd> {
    const { clock, http } = ports;
    for (let probe = 1; ; probe += 1) {
      try {
        await clock.sleep(
          Math.floor(backoffCeiling(PROBE_INTERVALS, probe) * (0.5 + ports.random() / 2)),
          stop,
        );
      } catch {
        // Nobody waits any more (every job paused or gave up): stop rather than probe forever.
        return 'stopped';
      }
      try {
        // The loop's own signal: one job pausing must not stop the probe the others wait on.
        await withStallGuard(clock, PROBE_TIMEOUT_MS, stop, (requestSignal) =>
          http.request({ method: 'GET', url, headers: {}, signal: requestSignal }),
        );
        return 'answered';
      } catch {
        // Still unreachable: the next probe waits longer.
      }
    }
  }

  #emit(offline: boolean): void {
    for (const listener of this.#listeners) listener(offline);
  }
}

/** `promise`, or `signal.reason` as soon as the signal aborts, whichever comes first. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise
      .finally(() => {
        signal.removeEventListener('abort', onAbort);
      })
      .then(resolve, reject);
  });
}
