import { describe, expect, it } from 'vitest';
import { RUNS_PER_TARGET } from '../../../src/engine/agent/delivery-agent.js';
import { agentHarness } from './agent-harness.js';

const names = (count: number) => Array.from({ length: count }, (_, i) => `f${i}-2024-06-12-v1.csv`);

describe('DeliveryAgent work in flight', () => {
  it('checks only a few files ahead of the deliveries: a long queue waits as records, not as work', async () => {
    const h = await agentHarness({ concurrency: 2 });
    h.vendor.hold();
    for (const name of names(50)) h.drop(name, `id\n${name}\n`);
    // Both deliveries are under way and stay so; every other file has long settled meanwhile.
    await h.until(() => h.vendor.maxInFlight === 2, 'two deliveries under way');
    // Far past every file's settle window (10 ms), well within the deliveries' stall guard.
    for (let step = 0; step < 20; step += 1) {
      h.clock.advance(10);
      await h.until(() => true);
    }
    expect(Object.values(h.statuses())).not.toContain('failed');

    // Two files sending, and no more checked behind them than the pool allows (two per slot).
    expect(h.hashed.length).toBeLessThanOrEqual(2 + 2 * 2);
    expect(h.hashed.length).toBeGreaterThan(2);

    h.vendor.release();
    await h.idle();
    expect(h.vendor.received).toHaveLength(50);
    expect(new Set(h.vendor.received.map((r) => r.name)).size).toBe(50);
    expect(new Set(h.hashed).size).toBe(50);
  });

  it('starts at most RUNS_PER_TARGET runs: the rest of a long queue waits unread until one ends', async () => {
    const h = await agentHarness({ concurrency: 2 });
    h.vendor.hold();
    const count = RUNS_PER_TARGET + 100;
    for (const name of names(count)) h.drop(name, `id\n${name}\n`);
    await h.until(() => h.vendor.maxInFlight === 2, 'two deliveries under way');
    for (let step = 0; step < 20; step += 1) {
      h.clock.advance(10);
      await h.until(() => true);
    }
    // The agent looks at a reported file once; a run looks again, as the file settles.
    const looks = new Map<string, number>();
    for (const path of h.probe.looked) looks.set(path, (looks.get(path) ?? 0) + 1);
    const runsBegun = [...looks.values()].filter((n) => n > 1).length;
    expect(looks.size).toBe(count);
    expect(runsBegun).toBeGreaterThan(2);
    expect(runsBegun).toBeLessThanOrEqual(RUNS_PER_TARGET);

    h.vendor.release();
    await h.idle();
    expect(new Set(h.vendor.received.map((r) => r.name)).size).toBe(count);
  });
});
