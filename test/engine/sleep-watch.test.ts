import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/engine/ports.js';
import { SleepWatch, sleptDuring, type Wake } from '../../src/engine/sleep-watch.js';
import { FakeClock, settle } from '../fakes/fake-clock.js';

const TICK = 5_000;
const THRESHOLD = 30_000;

describe('sleptDuring', () => {
  it('takes a timer that fires well after it was due as a sleep, and says how long', () => {
    expect(sleptDuring({ startedAt: 0, waitedMs: TICK, firedAt: TICK + 3_600_000 }, THRESHOLD)).toBe(
      3_600_000,
    );
  });

  it('takes a timer a busy event loop made a little late, or an on-time one, as no sleep', () => {
    expect(sleptDuring({ startedAt: 0, waitedMs: TICK, firedAt: TICK }, THRESHOLD)).toBeUndefined();
    expect(sleptDuring({ startedAt: 0, waitedMs: TICK, firedAt: TICK + 2_000 }, THRESHOLD)).toBeUndefined();
    expect(
      sleptDuring({ startedAt: 0, waitedMs: TICK, firedAt: TICK + THRESHOLD }, THRESHOLD),
    ).toBeUndefined();
  });

  it('takes a wall clock set back (a timer that looks early) as no sleep', () => {
    expect(sleptDuring({ startedAt: 100_000, waitedMs: TICK, firedAt: 0 }, THRESHOLD)).toBeUndefined();
  });
});

/**
 * A machine on a fake clock. Timers run on the monotonic clock (the FakeClock), which stops
 * while the machine sleeps; the wall clock is the monotonic one plus the time spent asleep.
 */
function machine() {
  const monotonic = new FakeClock();
  let asleepMs = 0;
  const clock: Clock = {
    now: () => monotonic.now() + asleepMs,
    sleep: (ms, signal) => monotonic.sleep(ms, signal),
  };
  const wakes: Wake[] = [];
  const watch = new SleepWatch(clock, (wake) => wakes.push(wake), { tickMs: TICK, thresholdMs: THRESHOLD });
  const stop = new AbortController();
  const running = watch.watch(stop.signal);
  return {
    clock,
    wakes,
    watch,
    stop,
    running,
    /** Awake time passes: timers fire. */
    awake: async (ms: number) => {
      for (let left = ms; left > 0; left -= TICK) {
        monotonic.advance(Math.min(TICK, left));
        await settle();
      }
    },
    /** The machine is suspended for `ms`: no timer fires, the wall clock moves on. */
    suspend: (ms: number) => {
      asleepMs += ms;
    },
    pendingTimers: () => monotonic.pendingTimers,
  };
}

describe('SleepWatch', () => {
  it('reports one wake, from the clock jump, when a headless agent sleeps for an hour', async () => {
    const m = machine();
    await m.awake(60_000);
    expect(m.wakes).toEqual([]);
    await m.awake(2_000);
    m.suspend(3_600_000);
    await m.awake(3_000);
    expect(m.wakes).toEqual([{ source: 'clock-jump', sleptMs: 3_600_000, at: m.clock.now() }]);
    await m.awake(60_000);
    expect(m.wakes.length).toBe(1);
    m.stop.abort();
    await m.running;
  });

  it('reports no wake for a sleep shorter than the threshold', async () => {
    const m = machine();
    m.suspend(THRESHOLD - 1_000);
    await m.awake(TICK * 3);
    expect(m.wakes).toEqual([]);
    m.stop.abort();
    await m.running;
  });

  it('reports a resume from the OS once, though the late timer then notices the same wake', async () => {
    const m = machine();
    m.watch.suspended();
    m.suspend(600_000);
    m.watch.resumed();
    expect(m.wakes).toEqual([{ source: 'resume', sleptMs: 600_000, at: m.clock.now() }]);
    await m.awake(TICK * 2);
    expect(m.wakes.length).toBe(1);
    m.stop.abort();
    await m.running;
  });

  it('ignores the OS resume when the late timer already reported that wake', async () => {
    const m = machine();
    m.watch.suspended();
    m.suspend(600_000);
    await m.awake(TICK);
    expect(m.wakes.map((w) => w.source)).toEqual(['clock-jump']);
    m.watch.resumed();
    expect(m.wakes.map((w) => w.source)).toEqual(['clock-jump']);
    // A later sleep is a new wake, however short.
    m.watch.suspended();
    m.suspend(1_000);
    m.watch.resumed();
    expect(m.wakes.map((w) => w.source)).toEqual(['clock-jump', 'resume']);
    m.stop.abort();
    await m.running;
  });

  it('stops ticking when its signal aborts', async () => {
    const m = machine();
    m.stop.abort();
    await m.running;
    expect(m.pendingTimers()).toBe(0);
  });
});
