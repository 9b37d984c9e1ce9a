import { describe, expect, it } from 'vitest';
import {
  NotificationBatcher,
  type FerryNotification,
  type NotificationSettings,
} from '../../src/engine/notification-batcher.js';
import { FakeClock, settle } from '../fakes/fake-clock.js';

function setup(settings: NotificationSettings = { enabled: true, errorsOnly: false }) {
  const clock = new FakeClock();
  const shown: FerryNotification[] = [];
  const batcher = new NotificationBatcher(
    clock,
    () => settings,
    (n) => shown.push(n),
  );
  return { clock, shown, batcher };
}

async function advance(clock: FakeClock, ms: number) {
  clock.advance(ms);
  await settle();
}

describe('NotificationBatcher', () => {
  it('sums up 1,000 deliveries in 10 s as one notification', async () => {
    const { clock, shown, batcher } = setup();
    for (let i = 0; i < 1000; i += 1) {
      batcher.record({ type: 'completed', jobId: `j${i}`, file: `f${i}.csv` });
      await advance(clock, 10);
    }
    expect(shown).toEqual([]);
    await advance(clock, 3_000);
    expect(shown).toEqual([{ title: '1000 files delivered', body: 'All arrived.', filter: 'completed' }]);
  });

  it('says when the vendor also took an earlier version of a delivered file', async () => {
    const { clock, shown, batcher } = setup();
    batcher.record({ type: 'completed', jobId: 'j1', file: 'orders.csv', superseded: ['r-1'] });
    await advance(clock, 3_000);
    batcher.record({ type: 'completed', jobId: 'j2', file: 'a.csv', superseded: ['r-3'] });
    batcher.record({ type: 'completed', jobId: 'j3', file: 'b.csv' });
    await advance(clock, 3_000);
    expect(shown.map((n) => n.body)).toEqual([
      'orders.csv — the vendor also took an earlier version (r-1) before the file changed',
      'All arrived; the vendor also took an earlier version of 1 file that changed during its upload.',
    ]);
  });

  it('reports a long run at least every 30 s', async () => {
    const { clock, shown, batcher } = setup();
    for (let i = 0; i < 70; i += 1) {
      batcher.record({ type: 'completed', jobId: `j${i}`, file: `f${i}.csv` });
      await advance(clock, 1_000);
    }
    expect(shown.map((n) => n.title)).toEqual(['30 files delivered', '30 files delivered']);
  });

  it('names a single delivered file and opens it on click', async () => {
    const { clock, shown, batcher } = setup();
    batcher.record({ type: 'completed', jobId: 'j1', file: 'sales-2024-06-12-v1.csv' });
    await advance(clock, 3_000);
    expect(shown).toEqual([{ title: 'File delivered', body: 'sales-2024-06-12-v1.csv', jobId: 'j1' }]);
  });

  it("adds the vendor's import figures to a single delivery", async () => {
    const { clock, shown, batcher } = setup();
    batcher.record({
      type: 'completed',
      jobId: 'j1',
      file: 'sales-2024-06-12-v1.csv',
      statistics: { rows: 12_345, columns: 8 },
    });
    await advance(clock, 3_000);
    expect(shown).toEqual([
      { title: 'File delivered', body: 'sales-2024-06-12-v1.csv — 12,345 rows, 8 columns', jobId: 'j1' },
    ]);
  });

  it('shows a failure at once, with its reason', () => {
    const { shown, batcher } = setup();
    batcher.record({
      type: 'failed',
      jobId: 'j9',
      file: 'a.csv',
      reason: 'the vendor answered 400: bad dataset',
    });
    expect(shown).toEqual([
      { title: 'Delivery failed: a.csv', body: 'the vendor answered 400: bad dataset', jobId: 'j9' },
    ]);
  });

  it('shows a few problems at once and sums up a flood', async () => {
    const { clock, shown, batcher } = setup();
    for (let i = 0; i < 500; i += 1) {
      batcher.record({ type: 'rejected', jobId: `r${i}`, file: `bad ${i}.csv`, reason: 'bad-character' });
    }
    expect(shown).toHaveLength(3);
    await advance(clock, 3_000);
    expect(shown).toHaveLength(4);
    expect(shown[3]).toEqual({
      title: '497 more files need attention',
      body: 'Open Ferry to see why they were not delivered.',
      filter: 'attention',
    });
  });

  it('says "token rejected" once per target until a new token is set', () => {
    const { shown, batcher } = setup();
    for (let i = 0; i < 5; i += 1) batcher.record({ type: 'token-rejected', target: 'vendor' });
    expect(shown.map((n) => n.title)).toEqual(['Token rejected for vendor']);
    batcher.record({ type: 'token-replaced', target: 'vendor' });
    batcher.record({ type: 'token-rejected', target: 'vendor' });
    expect(shown).toHaveLength(2);
  });

  it('respects the settings: off, or errors only', async () => {
    const off = setup({ enabled: false, errorsOnly: false });
    off.batcher.record({ type: 'failed', jobId: 'j', file: 'a.csv', reason: 'x' });
    expect(off.shown).toEqual([]);

    const errorsOnly = setup({ enabled: true, errorsOnly: true });
    errorsOnly.batcher.record({ type: 'completed', jobId: 'j1', file: 'a.csv' });
    errorsOnly.batcher.record({ type: 'failed', jobId: 'j2', file: 'b.csv', reason: 'x' });
    await advance(errorsOnly.clock, 3_000);
    expect(errorsOnly.shown.map((n) => n.title)).toEqual(['Delivery failed: b.csv']);
  });
});
