import { describe, expect, it } from 'vitest';
import { json } from '../../fakes/fake-http.js';
import { agentHarness, LEXER, lexerAt, WATCHED } from './agent-harness.js';

const ORDERS = 'orders-2024-06-12-v1.csv';
const REFUNDS = 'refunds-2024-06-12-v1.csv';
const STOCK = 'stock-2024-06-12-v1.csv';
const UNAUTHORIZED = json(401, { message: 'invalid token' });

describe('DeliveryAgent: a token the vendor rejects (401)', () => {
  it('holds the jobs queued, sends no further request, and goes on after tokenReplaced', async () => {
    const h = await agentHarness();
    h.vendor.refuseGrants = UNAUTHORIZED;
    h.drop(ORDERS, 'id\n1\n');
    await h.idle();
    h.drop(REFUNDS, 'id\n2\n');
    h.drop(STOCK, 'id\n3\n');
    await h.idle();

    expect(h.agent.stoppedTargets()).toEqual(['lexer']);
    expect(h.statuses()).toEqual({ [ORDERS]: 'queued', [REFUNDS]: 'queued', [STOCK]: 'queued' });
    expect(h.stored().map((r) => r.state.status)).toEqual(['queued', 'queued', 'queued']);
    expect(h.http.exchanges).toHaveLength(1);

    h.vendor.refuseGrants = undefined;
    expect(h.agent.tokenReplaced('lexer')).toBe(true);
    await h.idle();

    expect(h.agent.stoppedTargets()).toEqual([]);
    expect(h.statuses()).toEqual({ [ORDERS]: 'completed', [REFUNDS]: 'completed', [STOCK]: 'completed' });
    expect(h.vendor.received.map((r) => r.name).sort()).toEqual([ORDERS, REFUNDS, STOCK]);
  });

  it("holds only the stopped target's jobs", async () => {
    const h = await agentHarness({
      targets: { lexer: LEXER, other: lexerAt('https://api.other.example/v1/uploads') },
      folders: [
        { path: WATCHED, target: 'lexer' },
        { path: '/data/other', target: 'other' },
      ],
      concurrency: 1,
    });
    h.vendor.refuseGrants = UNAUTHORIZED;
    h.drop(ORDERS, 'id\n1\n');
    await h.idle();
    h.vendor.refuseGrants = undefined;
    h.drop(REFUNDS, 'id\n2\n', '/data/other');
    await h.idle();

    expect(h.agent.stoppedTargets()).toEqual(['lexer']);
    expect(h.statuses()).toEqual({ [ORDERS]: 'queued', [REFUNDS]: 'completed' });
  });

  it('changes nothing when the token of a target that was not stopped is replaced', async () => {
    const h = await agentHarness();
    expect(h.agent.tokenReplaced('lexer')).toBe(false);
    expect(h.agent.tokenReplaced('no-such-target')).toBe(false);
    h.drop(ORDERS, 'id\n1\n');
    await h.idle();
    expect(h.status(ORDERS)).toBe('completed');
  });
});
