import type { DeliveryError } from './delivery-error.js';
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

/**
 * Whether one target can be reached, shared by all its jobs like the TargetGate: the first
 * job that finds it unreachable starts one probe loop (any HTTP answer from `url` means it is
 * back); every other job waits on the same loop instead of probing or failing on its own.
 */
export class Reachability {
  #probing: Promise<void> | undefined;
  #waiters = 0;
  readonly #listeners = new Set<(offline: boolean) => void>();

  /** True while jobs of this target wait for it to come back: the UI says "offline — waiting". */
  get offline(): boolean {
    return this.#probing !== undefined;
  }

  /** Called with the new value whenever `offline` changes. Returns the unsubscribe. */
  onChange(listener: (offline: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves once `url` answers again; rejects with `signal.reason` when this job is paused. */
  async waitUntilReachable(ports: ProbePorts, url: string, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.#probing === undefined) {
      this.#probing = this.#probe(ports, url).finally(() => {
        this.#probing = undefined;
        this.#emit(false);
      });
      this.#emit(true);
    }
    this.#waiters += 1;
    try {
      await abortable(this.#probing, signal);
    } finally {
      this.#waiters -= 1;
    }
  }

  async #probe(ports: ProbePorts, url: string): Promise<void> {
    const { clock, http } = ports;
    // Its own signal: one job pausing must not stop the probe the others wait on.
    const never = new AbortController().signal;
    for (let probe = 1; ; probe += 1) {
      await clock.sleep(Math.floor(backoffCeiling(PROBE_INTERVALS, probe) * (0.5 + ports.random() / 2)));
      // Nobody waits any more (every job paused): stop rather than probe forever.
      if (this.#waiters === 0) return;
      try {
        await withStallGuard(clock, PROBE_TIMEOUT_MS, never, (requestSignal) =>
          http.request({ method: 'GET', url, headers: {}, signal: requestSignal }),
        );
        return;
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
function abortable(promise: Promise<void>, signal: AbortSignal): Promise<void> {
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
