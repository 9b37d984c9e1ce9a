import { describe, expect, it } from 'vitest';
import { BandwidthLimiter } from '../../src/engine/bandwidth-limiter.js';
import { FakeClock, settle } from '../fakes/fake-clock.js';
import { parseRate } from '../../src/shared/rate.js';

describe('BandwidthLimiter', () => {
  it('spaces reservations on one timeline, whoever makes them', async () => {
    const clock = new FakeClock();
    const limiter = new BandwidthLimiter(clock, 1_000);
    const signal = new AbortController().signal;
    const start = clock.now();
    const done: number[] = [];
    const takes = [500, 500, 1_000].map((bytes) =>
      limiter.take(bytes, signal).then(() => done.push(clock.now() - start)),
    );
    await settle();
    while (clock.fireNext()) await settle();
    await Promise.all(takes);
    expect(done).toEqual([0, 500, 1_000]);
  });

  it('lets everything through at once while its schedule says the cap is off', async () => {
    const clock = new FakeClock();
    let on = false;
    const limiter = new BandwidthLimiter(clock, 1_000, () => on);
    const signal = new AbortController().signal;
    await limiter.take(5_000, signal);
    await limiter.take(5_000, signal);
    expect(clock.pendingTimers).toBe(0);
    on = true;
    await limiter.take(1_000, signal);
    const second = limiter.take(1_000, signal);
    await settle();
    expect(clock.pendingTimers).toBe(1);
    clock.advance(1_000);
    await second;
  });

  it('slices large chunks so progress keeps flowing', () => {
    expect(new BandwidthLimiter(new FakeClock(), 8 * 1024 * 1024).sliceBytes).toBe(1024 * 1024);
    expect(new BandwidthLimiter(new FakeClock(), 2_048).sliceBytes).toBe(16 * 1024);
  });
});

describe('parseRate', () => {
  it('reads curl-style rates', () => {
    expect(parseRate('5M')).toBe(5 * 1024 * 1024);
    expect(parseRate('500K')).toBe(500 * 1024);
    expect(parseRate('1.5g')).toBe(1.5 * 1024 ** 3);
    expect(parseRate('2MB/s')).toBe(2 * 1024 * 1024);
    expect(parseRate('4096')).toBe(4096);
    expect(parseRate('fast')).toEqual({ problem: expect.stringContaining("'fast' is not a rate") as string });
    expect(parseRate('10')).toHaveProperty('problem');
  });
});
