import { describe, expect, it } from 'vitest';
import { TargetSlots } from '../../../src/engine/agent/target-slots.js';

describe('TargetSlots.resize', () => {
  it('lets waiting deliveries start when the limit is raised, and stops none when lowered', async () => {
    const slots = new TargetSlots(1);
    const signal = new AbortController().signal;
    const first = await slots.acquire('vendor', signal);
    let secondStarted = false;
    const second = slots.acquire('vendor', signal).then((release) => {
      secondStarted = true;
      return release;
    });
    await Promise.resolve();
    expect(secondStarted).toBe(false);
    slots.resize(2);
    const releaseSecond = await second;
    expect(slots.inUse('vendor')).toBe(2);

    slots.resize(1);
    expect(slots.inUse('vendor')).toBe(2);
    let thirdStarted = false;
    const third = slots.acquire('vendor', signal).then((release) => {
      thirdStarted = true;
      return release;
    });
    first();
    await Promise.resolve();
    // Still one over the new limit: the third waits until the count is below it.
    expect(thirdStarted).toBe(false);
    releaseSecond();
    (await third)();
    expect(thirdStarted).toBe(true);
  });
});

describe('TargetSlots.take', () => {
  it('starts a waiter when a slot frees, and a cancelled one never', () => {
    const slots = new TargetSlots(1);
    const started: string[] = [];
    const releases: (() => void)[] = [];
    const start = (name: string) => (release: () => void) => {
      started.push(name);
      releases.push(release);
    };
    expect(slots.take('vendor', start('first'))()).toBe(false);
    const cancelSecond = slots.take('vendor', start('second'));
    slots.take('vendor', start('third'));
    expect(started).toEqual(['first']);

    expect(cancelSecond()).toBe(true);
    releases[0]?.();
    expect(started).toEqual(['first', 'third']);
    expect(slots.inUse('vendor')).toBe(1);
  });
});
