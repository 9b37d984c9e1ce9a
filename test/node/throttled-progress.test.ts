import { describe, expect, it } from 'vitest';
import { throttledProgress } from '../../src/node/node-http.js';

/** A throttle every 50 ms on a clock the test moves, and what it passed on. */
function throttle(clock: { now: number }) {
  const seen: number[] = [];
  const progress = throttledProgress(
    (sent) => seen.push(sent),
    50,
    () => clock.now,
  );
  return { seen, progress };
}

describe('throttledProgress', () => {
  it('passes on the first report at once, then at most one per interval', () => {
    const clock = { now: 0 };
    const { seen, progress } = throttle(clock);
    progress.update(10);
    clock.now = 20;
    progress.update(20);
    clock.now = 49;
    progress.update(30);
    clock.now = 50;
    progress.update(40);
    clock.now = 60;
    progress.update(50);
    expect(seen).toEqual([10, 40]);
  });

  it('passes on the last report held back when flushed, once', () => {
    const clock = { now: 0 };
    const { seen, progress } = throttle(clock);
    progress.update(10);
    clock.now = 1;
    progress.update(99);
    progress.flush();
    progress.flush();
    expect(seen).toEqual([10, 99]);
  });

  it('has nothing to flush when every report was passed on', () => {
    const { seen, progress } = throttle({ now: 0 });
    progress.update(10);
    progress.flush();
    expect(seen).toEqual([10]);
  });
});
