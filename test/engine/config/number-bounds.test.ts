import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/engine/config/validate-config.js';
import { ConfigError } from '../../../src/shared/config.js';

/**
 * Every number in the config has an upper bound, named in its message: `stallSeconds: 3e6` made
 * Node clamp the stall timer to 1 ms (a busy loop), and 1e308 was taken for attempts, elapsed
 * time and maxBytes (issue #16, finding 8).
 */
const ENDPOINT = 'https://api.example.com/v1/uploads';

function issuesOf(value: unknown): string[] {
  try {
    validateConfig(value);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.problem}`);
    throw error;
  }
  return [];
}

const withTarget = (target: Record<string, unknown>) => ({
  targets: { t: { profile: 's3-multipart', endpoint: ENDPOINT, ...target } },
});

/** Each number of the config, its largest value, and the issue one past it (or 1e308) raises. */
const BOUNDS: readonly (readonly [string, (n: number) => unknown, number, string])[] = [
  ['concurrency', (n) => ({ ...withTarget({}), concurrency: n }), 32, 'concurrency: must be at most 32'],
  [
    'limitRate',
    (n) => ({ ...withTarget({}), limitRate: n }),
    1024 ** 4,
    "limitRate: '%' is not a rate from 1K to 1024G (e.g. 500K, 5M, 1G: bytes per second)",
  ],
  [
    'maxBytes',
    (n) => withTarget({ maxBytes: n }),
    5 * 1024 ** 4,
    'targets.t.maxBytes: must be at most 5497558138880 (5 TiB, the largest file any profile carries)',
  ],
  [
    'retry.attempts',
    (n) => withTarget({ retry: { attempts: n } }),
    100,
    'targets.t.retry.attempts: must be at most 100',
  ],
  [
    'retry.elapsedSeconds',
    (n) => withTarget({ retry: { elapsedSeconds: n } }),
    7 * 24 * 3600,
    'targets.t.retry.elapsedSeconds: must be at most 604800 (a week)',
  ],
  [
    'retry.stallSeconds',
    (n) => withTarget({ retry: { stallSeconds: n } }),
    3600,
    'targets.t.retry.stallSeconds: must be at most 3600 (an hour)',
  ],
];

describe('the bounds of the numbers in the config', () => {
  it.each(BOUNDS)('%s takes its largest value', (_key, config, largest) => {
    expect(issuesOf(config(largest))).toEqual([]);
  });

  it.each(BOUNDS)('%s refuses one more, 3e6 and 1e308, naming the bound', (_key, config, largest, issue) => {
    for (const value of [largest + 1, 3e6 > largest ? 3e6 : largest * 2, 1e308]) {
      expect(issuesOf(config(value))).toEqual([issue.replace('%', String(value))]);
    }
  });

  it('refuses a rate of 1e308 written as text too', () => {
    expect(issuesOf({ ...withTarget({}), limitRate: '99999999999999G' })).toEqual([
      "limitRate: '99999999999999G' is not a rate from 1K to 1024G (e.g. 500K, 5M, 1G: bytes per second)",
    ]);
  });
});
