import { describe, expect, it } from 'vitest';
import { CoalescedView } from '../../src/engine/coalesced-view.js';
import type { Clock } from '../../src/engine/ports.js';
import { FakeClock, settle } from '../fakes/fake-clock.js';

/** A live state (a number) seen through a view that records what it computed and showed. */
function setup(intervalMs = 250) {
  const clock = new FakeClock();
  const live = { value: 0 };
  const computed: number[] = [];
  const shown: number[] = [];
  const view = new CoalescedView(
    clock,
    () => {
      computed.push(live.value);
      return { value: live.value };
    },
    (model) => shown.push(model.value),
    { intervalMs, same: (a, b) => a.value === b.value },
  );
  const change = (value: number) => {
    live.value = value;
    view.changed();
  };
  return { clock, view, computed, shown, change };
}

async function advance(clock: FakeClock, ms: number) {
  clock.advance(ms);
  await settle();
}

describe('CoalescedView', () => {
  it('shows a change after a quiet spell at once', () => {
    const { computed, shown, change } = setup();
    change(1);
    expect(computed).toEqual([1]);
    expect(shown).toEqual([1]);
  });

  it('computes a burst of 1,000 changes in a second at most 4 times a second, and ends on the last', async () => {
    const { clock, computed, shown, change } = setup();
    for (let i = 1; i <= 1000; i += 1) {
      change(i);
      await advance(clock, 1);
    }
    await advance(clock, 1000);
    // At once, then one trailing update per 250 ms: 0, 250, 500, 750, 1000 ms.
    expect(computed).toEqual([1, 250, 500, 750, 1000]);
    expect(shown).toEqual(computed);
    expect(clock.pendingTimers).toBe(0);
  });

  it('shows the last state of a burst even when it came just after an update', async () => {
    const { clock, shown, change } = setup();
    change(1);
    await advance(clock, 1);
    change(2);
    change(3);
    expect(shown).toEqual([1]);
    await advance(clock, 248);
    expect(shown).toEqual([1]);
    await advance(clock, 1);
    expect(shown).toEqual([1, 3]);
  });

  it('computes but does not show a model equal to the one shown', async () => {
    const { clock, view, computed, shown, change } = setup();
    change(7);
    await advance(clock, 300);
    view.changed();
    await advance(clock, 300);
    view.changed();
    expect(computed).toEqual([7, 7, 7]);
    expect(shown).toEqual([7]);
    change(8);
    await advance(clock, 250);
    expect(shown).toEqual([7, 8]);
  });

  it('waits out only the rest of the interval after a computation', async () => {
    const { clock, shown, change } = setup();
    change(1);
    await advance(clock, 200);
    change(2);
    expect(clock.sleeps).toEqual([50]);
    await advance(clock, 50);
    expect(shown).toEqual([1, 2]);
  });

  it('waits no longer than one interval when the wall clock is set back', () => {
    const clock = new FakeClock();
    const wall = { offset: 0 };
    const setBack: Clock = {
      now: () => clock.now() + wall.offset,
      sleep: (ms, signal) => clock.sleep(ms, signal),
    };
    const view = new CoalescedView(
      setBack,
      () => 0,
      () => undefined,
      { intervalMs: 250, same: Object.is },
    );
    view.changed();
    wall.offset = -3_600_000;
    view.changed();
    expect(clock.sleeps).toEqual([250]);
  });

  it('shows nothing once closed, not even an update already waiting', async () => {
    const { clock, view, shown, change } = setup();
    change(1);
    change(2);
    view.close();
    await advance(clock, 1000);
    change(3);
    await advance(clock, 1000);
    expect(shown).toEqual([1]);
    expect(clock.pendingTimers).toBe(0);
  });
});
