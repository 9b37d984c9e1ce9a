import { classify, DeliveryError, toDeliveryError } from './delivery-error.js';
import type { Clock, Http, Logger, LogFields } from './ports.js';
import { isUnreachable } from './reachability.js';
import { countFailure, decideRetry, newStreak, parseRetryAfter, type RetryPolicy } from './retry-policy.js';
import type { TargetGate } from './target-gate.js';

/** A change of the file under an upload: not a failed attempt, so no pacer retries it. */
export class FileChanged extends Error {
  override readonly name = 'FileChanged';
}

export interface PacerPorts {
  readonly clock: Clock;
  /** Probes a target that does not answer. */
  readonly http: Http;
  readonly logger: Logger;
  /** Uniform in [0, 1): the jitter. */
  readonly random: () => number;
}

/** The target whose requests are paced: its retry budget, and what its jobs share. */
export interface PacedTarget {
  readonly retry: RetryPolicy;
  readonly gate: TargetGate;
  /** Probed while the target does not answer at all. */
  readonly endpoint: string;
}

/** Filled in by an attempt as it goes. */
export interface Attempt {
  /** Bytes of the request's body the vendor acknowledged. */
  sent: number;
}

/** A failed attempt the pacer waits after; `at` is when the next one starts (now, for an outage). */
export interface Wait {
  readonly at: number;
  readonly attempt: number;
  readonly error: DeliveryError;
}

export interface PaceOptions {
  /** What the requests are, for the log and the give-up message ("part 3"). */
  readonly what?: string;
  /** The reason a person reads when the budget runs out; by default `<what>: <why>; last error: …`. */
  readonly giveUp?: (why: string) => string;
  /** An attempt failed and the next waits (a job shows retry-wait); `next` when it starts. */
  readonly onWait?: (wait: Wait) => void;
  readonly onNext?: () => void;
}

/**
 * The one retry loop of every request a delivery makes (the upload-URL request and the PUT,
 * a form, each multipart request, each status poll): runs an attempt, classifies what went
 * wrong, and decides. A retryable failure waits (exponential backoff with full jitter, a cap,
 * Retry-After honoured, a fresh URL at once after an expired one) within the target's budget;
 * a target that does not answer at all is waited for without spending the budget; a 401 stops
 * the target; anything else ends the attempts with the vendor's reason. The budget counts
 * failures since the last progress: an attempt that got further than every earlier one starts
 * it afresh. A pause (the signal) and a changed file pass straight through.
 */
export class Pacer {
  constructor(
    private readonly ports: PacerPorts,
    private readonly target: PacedTarget,
    private readonly signal: AbortSignal,
    /** Cuts the token out of a vendor's message before it is logged or kept. */
    private readonly scrub: (error: DeliveryError) => DeliveryError = (error) => error,
    private readonly log: LogFields = {},
  ) {}

  /** A pacer for the same target whose requests stop on `signal` (the workers of one upload). */
  withSignal(signal: AbortSignal): Pacer {
    return new Pacer(this.ports, this.target, signal, this.scrub, this.log);
  }

  async run<T>(options: PaceOptions, attempt: (progress: Attempt) => Promise<T>): Promise<T> {
    const { clock, logger } = this.ports;
    const { gate } = this.target;
    let streak = newStreak(clock.now());
    let highWater = 0;
    for (;;) {
      if (gate.stoppedBy !== undefined) throw gate.stoppedBy;
      const wait = gate.waitMs(clock.now());
      if (wait > 0) await clock.sleep(wait, this.signal);
      const progress: Attempt = { sent: 0 };
      let error: DeliveryError;
      try {
        return await attempt(progress);
      } catch (thrown) {
        if (this.signal.aborted) throw this.signal.reason as Error;
        if (thrown instanceof FileChanged) throw thrown;
        error = this.scrub(toDeliveryError(thrown));
      }
      if (progress.sent > highWater) {
        highWater = progress.sent;
        streak = newStreak(clock.now());
      }
      const action = classify(error);
      if (action === 'stop-target') {
        // Told once per stop, however many requests hit the same 401.
        if (gate.stop(error)) logger.error({ ...this.log, kind: error.kind }, error.message);
        throw error;
      }
      if (action === 'fail') {
        logger.warn({ ...this.log, kind: error.kind, status: error.status }, error.message);
        throw error;
      }
      if (isUnreachable(error)) {
        await this.awaitTarget(error, streak.failures, options);
        // Time offline is not time without progress: the budget starts over with the network.
        streak = newStreak(clock.now());
        options.onNext?.();
        continue;
      }
      streak = countFailure(streak);
      const now = clock.now();
      const decision = decideRetry(this.target.retry, {
        streak,
        now,
        random: this.ports.random(),
        retryAfterMs: error.retryAfter === undefined ? undefined : parseRetryAfter(error.retryAfter, now),
        immediate: action === 'refresh-url',
      });
      if (decision.action === 'give-up') {
        const why = `${decision.reason}; last error: ${error.message}`;
        const message =
          options.giveUp?.(why) ?? (options.what === undefined ? why : `${options.what}: ${why}`);
        logger.warn({ ...this.log, kind: error.kind }, message);
        throw new DeliveryError(
          error.kind,
          message,
          error.status === undefined ? {} : { status: error.status },
        );
      }
      const at = now + decision.delayMs;
      if (error.kind === 'rate-limited') gate.slowDown(at);
      logger.info(
        { ...this.log, kind: error.kind, attempt: decision.attempt, delayMs: decision.delayMs },
        `${options.what ?? 'attempt'} failed, retrying: ${error.message}`,
      );
      options.onWait?.({ at, attempt: decision.attempt, error });
      await clock.sleep(decision.delayMs, this.signal);
      options.onNext?.();
    }
  }

  /** Nothing answers at all: wait for the target to come back, without spending the budget. */
  private async awaitTarget(error: DeliveryError, failures: number, options: PaceOptions): Promise<void> {
    const { clock, logger } = this.ports;
    const { reachability } = this.target.gate;
    logger.info(
      { ...this.log, code: error.code },
      `${options.what === undefined ? '' : `${options.what}: `}offline, waiting for the target: ${error.message}`,
    );
    // The target is marked offline first, so whoever hears of the job's wait already knows why.
    const back = reachability.waitUntilReachable(this.ports, this.target.endpoint, this.signal);
    options.onWait?.({ at: clock.now(), attempt: failures, error });
    if (!(await back)) throw reachability.gaveUp(error);
  }
}
