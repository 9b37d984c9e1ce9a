import { describe, expect, it } from 'vitest';
import { json } from '../../fakes/fake-http.js';
import { agentHarness, LEXER_ENDPOINT, lexerAt, WATCHED } from './agent-harness.js';

const ORDERS = 'orders-2024-06-12-v1.csv';
const SALES = '/data/sales';
const NEW_ENDPOINT = 'https://eu.api.lexer.example/v1/uploads';
const names = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}-2024-06-12-v1.csv`);

describe('DeliveryAgent.reconfigure', () => {
  it('watches an added folder: its files are delivered, and known files make no second job', async () => {
    const h = await agentHarness();
    h.drop(ORDERS, 'id\n1\n');
    await h.idle();
    h.write(`${SALES}/sales-2024-06-12-v1.csv`, 'id\n2\n');

    await h.reconfigure({
      folders: [
        { path: WATCHED, target: 'lexer' },
        { path: SALES, target: 'lexer' },
      ],
    });
    h.drop('later-2024-06-12-v1.csv', 'id\n3\n', SALES);
    await h.idle();

    expect(h.watcher.isWatching(SALES)).toBe(true);
    expect(h.statuses()).toEqual({
      [ORDERS]: 'completed',
      'sales-2024-06-12-v1.csv': 'completed',
      'later-2024-06-12-v1.csv': 'completed',
    });
    expect(h.vendor.received).toHaveLength(3);
  });

  it('stops watching a removed folder', async () => {
    const h = await agentHarness({
      folders: [
        { path: WATCHED, target: 'lexer' },
        { path: SALES, target: 'lexer' },
      ],
    });
    await h.reconfigure({ folders: [{ path: WATCHED, target: 'lexer' }] });
    h.drop('sales-2024-06-12-v1.csv', 'id\n2\n', SALES);
    await h.idle();

    expect(h.watcher.isWatching(SALES)).toBe(false);
    expect(h.agent.folders.map((f) => f.path)).toEqual([WATCHED]);
    expect(h.agent.jobs()).toEqual([]);
    expect(h.http.exchanges).toEqual([]);
  });

  it('sends no more at a time than a raised or lowered concurrency allows', async () => {
    const h = await agentHarness({ concurrency: 1 });
    h.vendor.putMs = 100;
    for (const name of names('a', 3)) h.drop(name, `${name}\n`);
    await h.idle();
    expect(h.vendor.maxInFlight).toBe(1);

    await h.reconfigure({ concurrency: 3 });
    h.vendor.maxInFlight = 0;
    for (const name of names('b', 3)) h.drop(name, `${name}\n`);
    await h.idle();
    expect(h.vendor.maxInFlight).toBe(3);

    await h.reconfigure({ concurrency: 1 });
    h.vendor.maxInFlight = 0;
    for (const name of names('c', 3)) h.drop(name, `${name}\n`);
    await h.idle();
    expect(h.vendor.maxInFlight).toBe(1);
    expect(h.vendor.received).toHaveLength(9);
  });

  it("sends new jobs, and jobs tried again, to a target's changed endpoint", async () => {
    const h = await agentHarness();
    h.drop(ORDERS, 'id\n1\n');
    await h.idle();
    h.vendor.refuseGrants = json(400, { message: 'unknown dataset' });
    h.drop('refunds-2024-06-12-v1.csv', 'id\n2\n');
    await h.idle();
    expect(h.status('refunds-2024-06-12-v1.csv')).toBe('failed');

    await h.reconfigure({ targets: { lexer: lexerAt(NEW_ENDPOINT) } });
    h.vendor.refuseGrants = undefined;
    h.drop('stock-2024-06-12-v1.csv', 'id\n3\n');
    h.agent.retry(h.job('refunds-2024-06-12-v1.csv').id);
    await h.idle();

    expect(Object.fromEntries(h.vendor.received.map((r) => [r.name, r.endpoint]))).toEqual({
      [ORDERS]: LEXER_ENDPOINT,
      'stock-2024-06-12-v1.csv': NEW_ENDPOINT,
      'refunds-2024-06-12-v1.csv': NEW_ENDPOINT,
    });
  });
});
