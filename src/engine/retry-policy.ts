/**
 * When to try again and when to stop. Pure: the caller passes the clock's `now` and a
 * random number, so every decision is reproducible in tests.
 */

export interface RetryPolicy {
  /** The ceiling of the first backoff; it doubles on every failure in a row. */
  readonly baseDelayMs: number;
  /** No backoff ceiling grows past this (a server's Retry-After may still ask for longer). */
  readonly maxDelayMs: number;
  /** Failures in a row without progress before giving up. */
  readonly maxAttempts: number;
  /** Time without progress before giving up. */
  readonly maxElapsedMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxAttempts: 8,
  maxElapsedMs: 30 * 60_000,
};

/**
 * Failures since the last progress. Progress (bytes acknowledged beyond what any earlier
 * attempt reached) starts a new streak: a flaky link that still moves the upload forward
 * must not exhaust the budget meant for a link that is down.
 */
export interface RetryStreak {
  readonly failures: number;
  /** When the streak began: the job's start or its last progress. */
  readonly since: number;
}

export function newStreak(now: number): RetryStreak {
  return { failures: 0, since: now };
}

export function countFailure(streak: RetryStreak): RetryStreak {
  return { failures: streak.failures + 1, since: streak.since };
}

export type RetryDecision =
  | { readonly action: 'retry'; readonly delayMs: number; readonly attempt: number }
  | { readonly action: 'give-up'; readonly reason: string };

/** The largest delay before retry number `attempt` (1-based): base · 2^(attempt−1), capped. */
export function backoffCeiling(
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  attempt: number,
): number {
  const exponent = Math.max(0, attempt - 1);
  // 2^exponent overflows to Infinity long after it passed any cap, so min() stays correct.
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
}

/**
 * "Full jitter": a uniform delay between 0 and the ceiling, so that jobs failing together
 * (a dropped link, a 5xx burst) do not come back together.
 * `random` is in [0, 1).
 */
export function fullJitter(policy: RetryPolicy, attempt: number, random: number): number {
  return Math.floor(random * backoffCeiling(policy, attempt));
}

/**
 * A Retry-After header as milliseconds from `now`: delta-seconds or an HTTP date.
 * Unparseable values are ignored rather than trusted; dates in the past mean "now".
 */
export function parseRetryAfter(value: string, now: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function minutes(ms: number): string {
  const m = ms / 60_000;
  return m >= 1 ? `${Math.round(m)} min` : `${Math.round(ms / 1_000)} s`;
}

export interface RetryInput {
  /** The streak including the failure being decided on. */
  readonly streak: RetryStreak;
  readonly now: number;
  /** Uniform in [0, 1). */
  readonly random: number;
  /** The server's Retry-After, already resolved to a delay. */
  readonly retryAfterMs?: number | undefined;
  /** Retry without backoff (a fresh URL after an expired one), still within the budget. */
  readonly immediate?: boolean;
}

export function decideRetry(policy: RetryPolicy, input: RetryInput): RetryDecision {
  const { streak, now } = input;
  const elapsed = now - streak.since;
  if (streak.failures >= policy.maxAttempts) {
    return { action: 'give-up', reason: `gave up after ${streak.failures} attempts without progress` };
  }
  const backoff = input.immediate === true ? 0 : fullJitter(policy, streak.failures, input.random);
  const delayMs = Math.max(backoff, input.retryAfterMs ?? 0);
  // Waiting only to give up on waking would hold the job in retry-wait for nothing.
  if (elapsed + delayMs >= policy.maxElapsedMs) {
    return { action: 'give-up', reason: `gave up after ${minutes(elapsed)} without progress` };
  }
  return { action: 'retry', delayMs, attempt: streak.failures };
}
