import { describe, expect, it } from 'vitest';
import { throttledProgress } from '../../src/node/got-http.js';

describe('throttledProgress', () => {
  it('passes on the first report at once, then at most one per interval', () => {
    let now = 0;
    const seen: number[] = [];
    const progress = throttledProgress(
      (sent) => seen.push(sent),
      50,
      () => now,
    );
    progress.update(10);
    now = 20;
    progress.update(20);
    now = 49;
    progress.update(30);
    now = 50;
    progress.update(40);
    now = 60;
    progress.update(50);
    expect(seen).toEqual([10, 40]);
  });

  it('passes on the last report held back when flushed, once', () => {
    let now = 0;
    const seen: number[] = [];
    const progress = throttledProgress(
      (sent) => seen.push(sent),
      50,
      () => now,
    );
    progress.update(10);
    now = 1;
    progress.update(99);
    progress.flush();
    progress.flush();
    expect(seen).toEqual([10, 99]);
  });

  it('has nothing to flush when every report was passed on', () => {
    const seen: number[] = [];
    const progress = throttledProgress(
      (sent) => seen.push(sent),
      50,
      () => 0,
    );
    progress.update(10);
    progress.flush();
    expect(seen).toEqual([10]);
  });
});
