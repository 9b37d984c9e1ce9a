import { describe, expect, it } from 'vitest';
import { agentHarness, ANALYTICS, ANALYTICS_RULE, WATCHED } from './agent-harness.js';

const ORDERS = 'orders-2024-06-12-v1.csv';

/**
 * A person's "send it again" outlives a restart: the ledger's record of the earlier delivery
 * must not pass for the re-send's own (both failed before resendAfter was stored on the job:
 * the job completed as r-1 and the vendor got the file once).
 */
describe('a re-send that a restart cuts short', () => {
  it('still re-uploads a completed job after a restart', async () => {
    const h = await agentHarness();
    h.drop(ORDERS, 'id\n1\n');
    await h.idle();

    h.vendor.hold();
    h.agent.reupload(h.job(ORDERS).id);
    await h.until(() => h.status(ORDERS) === 'uploading', 'the second upload');
    await h.restart();
    h.vendor.release();
    await h.idle();

    expect(h.vendor.contentsOf(ORDERS)).toEqual(['id\n1\n', 'id\n1\n']);
    // The upload the restart cut short (r-2) starts over with a fresh URL.
    expect(h.job(ORDERS).state).toEqual({ status: 'completed', remoteId: 'r-3' });
  });

  it('still sends again a retried failed import after a restart', async () => {
    const name = 'acme_transactions_2025-01-01.csv';
    const h = await agentHarness({
      targets: { analytics: ANALYTICS },
      folders: [{ path: WATCHED, target: 'analytics', rule: ANALYTICS_RULE }],
    });
    h.vendor.importStatus = { status: 'Failed', error: 'header "amount" is not allowed' };
    h.drop(name, 'date,amount\n2025-01-01,10\n');
    await h.idle();
    expect(h.status(name)).toBe('failed');

    h.vendor.importStatus = { status: 'Completed' };
    h.vendor.hold();
    h.agent.retry(h.job(name).id);
    await h.until(() => h.status(name) === 'uploading', 'the second upload');
    await h.restart();
    h.vendor.release();
    await h.idle();

    expect(h.vendor.contentsOf(name)).toHaveLength(2);
    expect(h.job(name).state).toEqual({ status: 'completed', remoteId: 'r-3' });
  });
});
