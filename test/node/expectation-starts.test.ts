import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Expectation } from '../../src/engine/expectations/schedule.js';
import { EXPECTATION_STARTS_FILE, withStarts } from '../../src/node/expectation-starts.js';
import { DEFAULT_RULE } from '../../src/shared/naming.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('starts');
const expectation = (descriptor: string): Expectation => ({
  folder: '/data/out',
  rule: DEFAULT_RULE,
  descriptor,
  cadence: { kind: 'weekdays', days: [1] },
  by: 0,
  timeZone: 'UTC',
  dated: 'delivery-day',
});

describe('withStarts', () => {
  it('records when an agent first follows an expectation, and keeps that time', async () => {
    const dir = await tempDir();
    const [first] = await withStarts(dir, [expectation('customers')], 1_000, true);
    expect(first?.since).toBe(1_000);
    const later = await withStarts(dir, [expectation('customers'), expectation('orders')], 5_000, true);
    expect(later.map((e) => e.since)).toEqual([1_000, 5_000]);
    expect(JSON.parse(await readFile(join(dir, EXPECTATION_STARTS_FILE), 'utf8'))).toEqual({
      starts: [
        { folder: '/data/out', descriptor: 'customers', since: 1_000 },
        { folder: '/data/out', descriptor: 'orders', since: 5_000 },
      ],
    });
  });

  it('only reads without an agent: an expectation no agent followed starts now', async () => {
    const dir = await tempDir();
    expect((await withStarts(dir, [expectation('customers')], 7_000, false))[0]?.since).toBe(7_000);
    expect((await withStarts(dir, [expectation('customers')], 9_000, false))[0]?.since).toBe(9_000);
  });
});
