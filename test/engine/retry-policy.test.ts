import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffCeiling,
  countFailure,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  fullJitter,
  newStreak,
  parseRetryAfter,
  type RetryPolicy,
} from '../../src/engine/retry-policy.js';

const policy: RetryPolicy = { baseDelayMs: 1_000, maxDelayMs: 30_000, maxAttempts: 5, maxElapsedMs: 600_000 };
const T0 = Date.UTC(2026, 0, 1);

function streakOf(failures: number, since = T0) {
  let streak = newStreak(since);
  for (let i = 0; i < failures; i += 1) streak = countFailure(streak);
  return streak;
}

describe('backoff', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffCeiling(policy, n))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
    expect(backoffCeiling(policy, 5_000)).toBe(30_000);
  });

  it('jitters over the full range [0, ceiling)', () => {
    expect(fullJitter(policy, 3, 0)).toBe(0);
    expect(fullJitter(policy, 3, 0.5)).toBe(2_000);
    expect(fullJitter(policy, 3, 0.999999)).toBe(3_999);
  });

  it('never goes below 0 nor above the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, r) => {
          const delay = fullJitter(policy, n, r);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(policy.maxDelayMs);
        },
      ),
    );
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', T0)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', T0)).toBe(0);
  });

  it('reads an HTTP date against the injected now', () => {
    expect(parseRetryAfter(new Date(T0 + 45_000).toUTCString(), T0)).toBe(45_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', T0)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    for (const value of ['', 'soon', '-5', '1.5', '12abc'])
      expect(parseRetryAfter(value, T0)).toBeUndefined();
  });
});

describe('decideRetry', () => {
  it('retries with a jittered delay and numbers the attempt', () => {
    expect(decideRetry(policy, { streak: streakOf(3), now: T0 + 1_000, random: 0.5 })).toEqual({
      action: 'retry',
      delayMs: 2_000,
      attempt: 3,
    });
  });

  it('honours Retry-After when it asks for longer than the backoff, even past the cap', () => {
    const decision = decideRetry(policy, { streak: streakOf(1), now: T0, random: 0.5, retryAfterMs: 90_000 });
    expect(decision).toEqual({ action: 'retry', delayMs: 90_000, attempt: 1 });
  });

  it('keeps the backoff when Retry-After asks for less', () => {
    const decision = decideRetry(policy, { streak: streakOf(4), now: T0, random: 0.5, retryAfterMs: 1 });
    expect(decision).toEqual({ action: 'retry', delayMs: 4_000, attempt: 4 });
  });

  it('retries at once for a fresh URL, still counting the attempt', () => {
    expect(decideRetry(policy, { streak: streakOf(2), now: T0, random: 0.9, immediate: true })).toEqual({
      action: 'retry',
      delayMs: 0,
      attempt: 2,
    });
  });

  it('gives up after maxAttempts failures in a row', () => {
    expect(decideRetry(policy, { streak: streakOf(4), now: T0, random: 0 }).action).toBe('retry');
    expect(decideRetry(policy, { streak: streakOf(5), now: T0, random: 0 })).toEqual({
      action: 'give-up',
      reason: 'gave up after 5 attempts without progress',
    });
  });

  it('gives up once the time without progress is spent, or would be by the next attempt', () => {
    expect(decideRetry(policy, { streak: streakOf(1), now: T0 + 600_000, random: 0 })).toEqual({
      action: 'give-up',
      reason: 'gave up after 10 min without progress',
    });
    const late = decideRetry(policy, {
      streak: streakOf(1),
      now: T0 + 599_000,
      random: 0,
      retryAfterMs: 5_000,
    });
    expect(late.action).toBe('give-up');
  });

  it('starts afresh after progress: a new streak has the whole budget', () => {
    const exhausted = streakOf(5);
    expect(decideRetry(policy, { streak: exhausted, now: T0, random: 0 }).action).toBe('give-up');
    const afterProgress = countFailure(newStreak(T0 + 700_000));
    expect(decideRetry(policy, { streak: afterProgress, now: T0 + 700_001, random: 0 })).toEqual({
      action: 'retry',
      delayMs: 0,
      attempt: 1,
    });
  });

  it('has sane defaults', () => {
    expect(DEFAULT_RETRY_POLICY.maxDelayMs).toBeGreaterThan(DEFAULT_RETRY_POLICY.baseDelayMs);
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBeGreaterThan(1);
  });
});
