import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/node/system-clock.js';

describe('systemClock', () => {
  it('tells the time and sleeps at least as long as asked', async () => {
    const before = systemClock.now();
    expect(Math.abs(before - Date.now())).toBeLessThan(50);
    await systemClock.sleep(30);
    expect(systemClock.now() - before).toBeGreaterThanOrEqual(29);
  });

  it("rejects with the signal's own reason, at once when already aborted", async () => {
    const reason = new Error('paused');
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
    await expect(systemClock.sleep(10, controller.signal)).rejects.toBe(reason);
  });
});
