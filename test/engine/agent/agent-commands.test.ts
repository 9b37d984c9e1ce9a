import { describe, expect, it } from 'vitest';
import { json } from '../../fakes/fake-http.js';
import { agentHarness, ANALYTICS, ANALYTICS_RULE, WATCHED } from './agent-harness.js';

const ORDERS = 'orders-2024-06-12-v1.csv';
const REFUNDS = 'refunds-2024-06-12-v1.csv';
const STOCK = 'stock-2024-06-12-v1.csv';
const BAD_DATE = 'orders-2024-02-30-v1.csv';
const REFUSED = json(400, { message: 'unknown dataset' });

describe('DeliveryAgent.retry', () => {
  it('delivers a failed job when it is tried again', async () => {
    const h = await agentHarness();
    h.vendor.refuseGrants = REFUSED;
    h.drop(ORDERS, 'id\n1\n');
    await h.idle();
    expect(h.job(ORDERS).state).toMatchObject({ status: 'failed', error: { kind: 'vendor-rejected' } });

    h.vendor.refuseGrants = undefined;
    expect(h.agent.retry(h.job(ORDERS).id)).toBe(true);
    await h.idle();

    expect(h.agent.jobs()).toHaveLength(1);
    expect(h.status(ORDERS)).toBe('completed');
    expect(h.vendor.contentsOf(ORDERS)).toEqual(['id\n1\n']);
  });

  it('turns down jobs that did not end badly, and unknown ones', async () => {
    const h = await agentHarness();
    h.drop(ORDERS, 'id\n1\n');
    await h.idle();

    expect(h.agent.retry(h.job(ORDERS).id)).toBe(false);
    expect(h.agent.retry('no-such-job')).toBe(false);
    await h.idle();
    expect(h.vendor.received).toHaveLength(1);
  });

  it('checks a rejected job again: refused while the check still refuses, delivered once it passes', async () => {
    const h = await agentHarness({ folders: [{ path: WATCHED, target: 'lexer', checkContent: true }] });
    h.contentProblem = 'line 3 has 3 fields, the header 2';
    h.drop(ORDERS, 'id,n\n1,2\n3,4,5\n');
    await h.idle();
    expect(h.job(ORDERS).state).toEqual({
      status: 'rejected',
      reason: 'content-csv-columns: line 3 has 3 fields, the header 2',
    });

    expect(h.agent.retry(h.job(ORDERS).id)).toBe(true);
    await h.idle();
    expect(h.status(ORDERS)).toBe('rejected');
    expect(h.vendor.received).toEqual([]);

    h.contentProblem = undefined;
    h.agent.retry(h.job(ORDERS).id);
    await h.idle();
    expect(h.status(ORDERS)).toBe('completed');
    expect(h.vendor.contentsOf(ORDERS)).toEqual(['id,n\n1,2\n3,4,5\n']);
  });

  it('sends a file the content check refused when forced (send anyway), and stores that choice', async () => {
    const h = await agentHarness({ folders: [{ path: WATCHED, target: 'lexer', checkContent: true }] });
    h.contentProblem = 'line 3 has 3 fields, the header 2';
    h.drop(ORDERS, 'id,n\n1,2\n3,4,5\n');
    await h.idle();
    expect(h.status(ORDERS)).toBe('rejected');

    expect(h.agent.retry(h.job(ORDERS).id, true)).toBe(true);
    await h.idle();

    expect(h.job(ORDERS)).toMatchObject({ state: { status: 'completed' }, sendAnyway: true });
    expect(h.stored()).toMatchObject([{ state: { status: 'completed' }, sendAnyway: true }]);
    expect(h.vendor.contentsOf(ORDERS)).toEqual(['id,n\n1,2\n3,4,5\n']);
  });
});

describe('DeliveryAgent.retryFailed', () => {
  it('tries every failed job again, and only those', async () => {
    const h = await agentHarness();
    h.drop(STOCK, 'sku\n1\n');
    await h.idle();
    h.vendor.refuseGrants = REFUSED;
    h.drop(ORDERS, 'id\n1\n');
    h.drop(REFUNDS, 'id\n2\n');
    h.drop(BAD_DATE, 'id\n3\n');
    await h.idle();
    expect(h.statuses()).toEqual({
      [STOCK]: 'completed',
      [ORDERS]: 'failed',
      [REFUNDS]: 'failed',
      [BAD_DATE]: 'rejected',
    });

    h.vendor.refuseGrants = undefined;
    expect(h.agent.retryFailed()).toBe(2);
    await h.idle();

    expect(h.statuses()).toEqual({
      [STOCK]: 'completed',
      [ORDERS]: 'completed',
      [REFUNDS]: 'completed',
      [BAD_DATE]: 'rejected',
    });
    expect(h.vendor.received.map((r) => r.name).sort()).toEqual([ORDERS, REFUNDS, STOCK]);
  });
});

describe('DeliveryAgent.reupload', () => {
  it('sends a completed job again: the ledger does not stop it, and the vendor gets it twice', async () => {
    const h = await agentHarness();
    h.drop(ORDERS, 'id\n1\n');
    await h.idle();
    const { id } = h.job(ORDERS);

    expect(h.agent.reupload(id)).toBe(true);
    await h.idle();

    expect(h.agent.jobs()).toHaveLength(1);
    expect(h.job(ORDERS).state).toEqual({ status: 'completed', remoteId: 'r-2' });
    expect(h.vendor.contentsOf(ORDERS)).toEqual(['id\n1\n', 'id\n1\n']);
    expect(h.ledger.entries.map((e) => e.remoteId)).toEqual(['r-1', 'r-2']);
  });

  it('turns down jobs that are not completed', async () => {
    const h = await agentHarness();
    h.vendor.refuseGrants = REFUSED;
    h.drop(ORDERS, 'id\n1\n');
    await h.idle();

    expect(h.agent.reupload(h.job(ORDERS).id)).toBe(false);
    expect(h.agent.reupload('no-such-job')).toBe(false);
    expect(h.status(ORDERS)).toBe('failed');
  });
});

describe('DeliveryAgent.clearFinished', () => {
  it('forgets completed jobs only, in memory and in the journal', async () => {
    const h = await agentHarness();
    h.drop(ORDERS, 'id\n1\n');
    h.drop(REFUNDS, 'id\n2\n');
    await h.idle();
    h.vendor.refuseGrants = REFUSED;
    h.drop(STOCK, 'sku\n1\n');
    await h.idle();
    const cleared = [h.job(ORDERS).id, h.job(REFUNDS).id];

    expect(await h.run(h.agent.clearFinished())).toBe(2);

    expect(h.statuses()).toEqual({ [STOCK]: 'failed' });
    expect(h.stored().map((r) => r.path)).toEqual([`${WATCHED}/${STOCK}`]);
    expect(h.events.filter((e) => e.type === 'job-removed').map((e) => e.id)).toEqual(cleared);
  });

  it('leaves the ledger to stop the same bytes, under the same name or another', async () => {
    const h = await agentHarness();
    const path = h.drop(ORDERS, 'id\n1\n');
    await h.idle();
    await h.run(h.agent.clearFinished());

    h.watcher.emit({ type: 'file', folder: WATCHED, path });
    h.drop('orders-2024-06-12-v2.csv', 'id\n1\n');
    await h.idle();

    expect(h.statuses()).toEqual({ 'orders-2024-06-12-v2.csv': 'rejected' });
    expect(h.job('orders-2024-06-12-v2.csv').state).toMatchObject({
      reason: expect.stringMatching(/^duplicate-content: /) as string,
    });
    expect(h.vendor.received).toHaveLength(1);
  });
});

describe('DeliveryAgent.upload', () => {
  it('delivers a picked file to the named target, outside any folder', async () => {
    const h = await agentHarness();
    h.write('/home/me/picked-2024-06-12-v1.csv', 'id\n9\n');

    const job = h.agent.upload('/home/me/picked-2024-06-12-v1.csv', 'lexer');
    await h.idle();

    expect(job.folder).toBeUndefined();
    expect(h.job('picked-2024-06-12-v1.csv').state).toEqual({ status: 'completed', remoteId: 'r-1' });
    expect(h.vendor.contentsOf('picked-2024-06-12-v1.csv')).toEqual(['id\n9\n']);
  });

  it('refuses a target that is not configured', async () => {
    const h = await agentHarness();
    expect(() => h.agent.upload('/home/me/picked-2024-06-12-v1.csv', 'nope')).toThrow(
      "no target named 'nope'",
    );
    expect(h.agent.jobs()).toEqual([]);
  });
});

describe('DeliveryAgent.retry after a failed import', () => {
  it('sends again the bytes the ledger knows, when the vendor could not import them', async () => {
    const name = 'acme_transactions_2025-01-01.csv';
    const h = await agentHarness({
      targets: { analytics: ANALYTICS },
      folders: [{ path: WATCHED, target: 'analytics', rule: ANALYTICS_RULE }],
    });
    h.vendor.importStatus = { status: 'Failed', error: 'header "amount" is not allowed' };
    h.drop(name, 'date,amount\n2025-01-01,10\n');
    await h.idle();
    expect(h.job(name).state).toEqual({
      status: 'failed',
      error: {
        kind: 'vendor-rejected',
        message: 'the vendor could not import the file: header "amount" is not allowed',
      },
    });
    expect(h.ledger.entries).toMatchObject([{ target: 'analytics', remoteId: 'r-1' }]);

    h.vendor.importStatus = { status: 'Completed' };
    expect(h.agent.retry(h.job(name).id)).toBe(true);
    await h.idle();

    expect(h.job(name).state).toEqual({ status: 'completed', remoteId: 'r-2' });
    expect(h.vendor.contentsOf(name)).toEqual([
      'date,amount\n2025-01-01,10\n',
      'date,amount\n2025-01-01,10\n',
    ]);
  });
});
