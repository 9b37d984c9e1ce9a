import { describe, expect, it } from 'vitest';
import { addSample, measure, type ProgressSample } from '../../src/engine/progress-meter.js';

function feed(samples: readonly ProgressSample[], windowMs = 5_000): readonly ProgressSample[] {
  return samples.reduce<readonly ProgressSample[]>((w, s) => addSample(w, s, windowMs), []);
}

describe('progress meter', () => {
  it('knows no rate from a single sample', () => {
    expect(measure(feed([{ at: 0, sent: 100 }]), 1_000)).toEqual({
      sent: 100,
      total: 1_000,
      bytesPerSecond: undefined,
      etaMs: undefined,
    });
  });

  it('measures rate and time left over the samples', () => {
    const window = feed([
      { at: 0, sent: 0 },
      { at: 1_000, sent: 1_000 },
      { at: 2_000, sent: 2_000 },
    ]);
    expect(measure(window, 10_000)).toEqual({
      sent: 2_000,
      total: 10_000,
      bytesPerSecond: 1_000,
      etaMs: 8_000,
    });
  });

  it('forgets old samples, so the rate follows the link as it is now', () => {
    const window = feed([
      { at: 0, sent: 0 },
      { at: 1_000, sent: 10_000 },
      { at: 20_000, sent: 11_000 },
      { at: 21_000, sent: 12_000 },
    ]);
    // One sample older than the window is kept as the base: 10 000 → 12 000 over 20 s.
    expect(window).toHaveLength(3);
    expect(measure(window, 20_000).bytesPerSecond).toBe(100);
  });

  it('starts over when an attempt restarts from zero', () => {
    const window = feed([
      { at: 0, sent: 0 },
      { at: 1_000, sent: 5_000 },
      { at: 2_000, sent: 1_000 },
    ]);
    expect(window).toEqual([{ at: 2_000, sent: 1_000 }]);
  });
});
