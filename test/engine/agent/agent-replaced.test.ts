import { describe, expect, it } from 'vitest';
import { agentHarness, ANALYTICS, ANALYTICS_RULE, sha256, WATCHED } from './agent-harness.js';

const ORDERS = 'orders-2024-06-12-v1.csv';
const OLD = 'id,amount\n1,10\n2,20\n';
const NEW = 'id,amount\n1,10\n2,25\n3,30\n';

describe('DeliveryAgent: a file replaced during its upload', () => {
  it('cuts the PUT of the old version off and delivers the new one after it settles', async () => {
    const h = await agentHarness();
    // Each PUT waits before it reads a byte: the change lands while the upload is under way.
    h.vendor.putMs = 1_000;
    h.drop(ORDERS, OLD);
    await h.until(() => h.status(ORDERS) === 'uploading', 'the upload of the old version');

    h.drop(ORDERS, NEW);
    await h.idle();

    expect(h.vendor.contentsOf(ORDERS)).toEqual([NEW]);
    expect(h.job(ORDERS)).toMatchObject({
      state: { status: 'completed' },
      size: NEW.length,
      sha256: sha256(NEW),
      attempts: 1,
    });
    expect(h.job(ORDERS).superseded).toBeUndefined();
    expect(h.ledger.entries.map((e) => e.sha256)).toEqual([sha256(NEW)]);
  });

  it('records the old version the vendor took before its answer came, then delivers the new one', async () => {
    const h = await agentHarness();
    // Each PUT takes its bytes, then waits to answer: the change lands in between.
    h.vendor.hold();
    h.drop(ORDERS, OLD);
    await h.until(() => h.status(ORDERS) === 'uploading', 'the upload of the old version');
    await h.until(() => (h.job(ORDERS).state as { sent?: number }).sent === OLD.length, 'every byte sent');

    h.drop(ORDERS, NEW);
    h.vendor.release();
    await h.idle();

    expect(h.vendor.contentsOf(ORDERS)).toEqual([OLD, NEW]);
    const job = h.job(ORDERS);
    expect(job).toMatchObject({ state: { status: 'completed', remoteId: 'r-2' }, sha256: sha256(NEW) });
    expect(job.superseded).toEqual([
      { remoteId: 'r-1', size: OLD.length, sha256: sha256(OLD), deliveredAt: expect.any(Number) as number },
    ]);
    expect(h.ledger.entries.map((e) => [e.remoteId, e.sha256, e.superseded])).toEqual([
      ['r-1', sha256(OLD), true],
      ['r-2', sha256(NEW), undefined],
    ]);
  });

  it('sends a queued job again from the top when its file changes before the upload starts', async () => {
    const h = await agentHarness({ concurrency: 1 });
    h.vendor.putMs = 1_000;
    h.drop('first-2024-06-12-v1.csv', 'id\n9\n');
    h.drop(ORDERS, OLD);
    await h.until(() => h.status(ORDERS) === 'queued', 'the second file waiting for the slot');

    h.drop(ORDERS, NEW);
    await h.idle();

    expect(h.vendor.contentsOf(ORDERS)).toEqual([NEW]);
    expect(h.job(ORDERS)).toMatchObject({ size: NEW.length, sha256: sha256(NEW) });
  });

  it('delivers a change that came while the vendor was importing the old version, once imported', async () => {
    const name = 'acme_transactions_2025-01-01.csv';
    const h = await agentHarness({
      targets: { analytics: ANALYTICS },
      folders: [{ path: WATCHED, target: 'analytics', rule: ANALYTICS_RULE }],
    });
    h.vendor.importStatus = { status: 'Processing' };
    h.drop(name, OLD);
    await h.until(() => h.status(name) === 'processing', 'the old version being imported');

    // The job is busy following the import when the watcher tells of the change.
    h.drop(name, NEW);
    h.vendor.importStatus = { status: 'Completed' };
    await h.idle();

    expect(h.vendor.contentsOf(name)).toEqual([OLD, NEW]);
  });
});
