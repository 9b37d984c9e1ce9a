import { describe, expect, it } from 'vitest';
import { agentHarness, ANALYTICS, ANALYTICS_RULE, WATCHED } from './agent-harness.js';

/** What `ferry history` prints comes from the ledger alone: each delivery carries its job's facts. */
describe('the ledger entry of a delivery', () => {
  it('names the folder the file came from and the attempts the delivery took, this one included', async () => {
    const h = await agentHarness();
    const name = 'customers-2026-12-03-v1.csv';
    h.drop(name, 'id\n1\n');
    await h.idle();
    expect(h.job(name).state.status).toBe('completed');
    expect(h.ledger.entries).toEqual([
      expect.objectContaining({ path: `${WATCHED}/${name}`, folder: WATCHED, attempts: 1 }),
    ]);
  });

  it("keeps the vendor's import statistics, which come after the bytes were recorded", async () => {
    const h = await agentHarness({
      targets: { analytics: ANALYTICS },
      folders: [{ path: WATCHED, target: 'analytics', rule: ANALYTICS_RULE }],
    });
    h.vendor.importStatus = { status: 'Completed', statistics: { rows: 12, columns: 3, bytes: 90 } };
    const name = 'acme_transactions_2025-01-01.csv';
    h.drop(name, 'date,amount\n2025-01-01,10\n');
    await h.idle();
    expect(h.job(name).state).toMatchObject({ status: 'completed', statistics: { rows: 12, columns: 3 } });
    expect(h.ledger.imports).toEqual([
      { target: 'analytics', remoteId: 'r-1', statistics: { rows: 12, columns: 3, bytes: 90 } },
    ]);
  });
});
