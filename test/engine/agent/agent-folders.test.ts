import { describe, expect, it } from 'vitest';
import { agentHarness } from './agent-harness.js';

const ORDERS = 'orders-2024-06-12-v1.csv';

describe('DeliveryAgent: files in a watched folder', () => {
  it('delivers a dropped file once, and records it in the ledger and the journal', async () => {
    const h = await agentHarness();
    const path = h.drop(ORDERS, 'id\n1\n');
    await h.idle();

    expect(h.status(ORDERS)).toBe('completed');
    expect(h.vendor.contentsOf(ORDERS)).toEqual(['id\n1\n']);
    expect(h.ledger.entries).toMatchObject([{ path, target: 'lexer', remoteId: 'r-1' }]);
    expect(h.stored()).toMatchObject([{ path, state: { status: 'completed', remoteId: 'r-1' } }]);
  });
});
