import { describe, expect, it } from 'vitest';
import { settle } from '../../fakes/fake-clock.js';
import { json } from '../../fakes/fake-http.js';
import { agentHarness, LEXER, LEXER_ENDPOINT, lexerAt, WATCHED } from './agent-harness.js';

const ORDERS = 'orders-2024-06-12-v1.csv';
const REFUNDS = 'refunds-2024-06-12-v1.csv';
const BAD_DATE = 'orders-2024-02-30-v1.csv';
const SALES = '/data/sales';

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

  it('tells of the job as it goes, with its progress', async () => {
    const h = await agentHarness();
    h.drop(ORDERS, 'id\n1\n');
    await h.idle();
    const { id } = h.job(ORDERS);

    const told = h.events.flatMap((e) => (e.type === 'job' && e.job.id === id ? [e.job.state.status] : []));
    expect(told).toContain('uploading');
    expect(told.at(-1)).toBe('completed');
    const sent = h.events.flatMap((e) => (e.type === 'progress' && e.jobId === id ? [e.progress.sent] : []));
    expect(sent.at(-1)).toBe(5);
  });

  it('tells of a folder that went missing', async () => {
    const h = await agentHarness();
    h.watcher.emit({ type: 'folder-missing', folder: WATCHED, reason: 'ENOENT' });
    await h.idle();

    expect(h.events).toContainEqual({ type: 'folder', folder: WATCHED, change: 'missing', reason: 'ENOENT' });
  });

  it('rejects a file whose name breaks the rule, saying why, and sends nothing', async () => {
    const h = await agentHarness();
    h.drop(BAD_DATE, 'id\n1\n');
    await h.idle();

    expect(h.job(BAD_DATE).state).toMatchObject({
      status: 'rejected',
      reason: expect.stringContaining('2024-02-30') as string,
    });
    expect(h.http.exchanges).toEqual([]);
  });

  it('tries a failed job again, as the same job, when its file changes', async () => {
    const h = await agentHarness();
    h.vendor.refuseGrants = json(400, { message: 'column "id" must not be empty' });
    h.drop(ORDERS, 'id\n\n');
    await h.idle();
    expect(h.status(ORDERS)).toBe('failed');
    const { id } = h.job(ORDERS);

    h.vendor.refuseGrants = undefined;
    h.drop(ORDERS, 'id\n1\n');
    await h.idle();

    expect(h.agent.jobs().map((j) => [j.id, j.state.status])).toEqual([[id, 'completed']]);
    expect(h.vendor.contentsOf(ORDERS)).toEqual(['id\n1\n']);
  });

  it('tries a rejected job again, as the same job, when its file changes', async () => {
    const h = await agentHarness({ folders: [{ path: WATCHED, target: 'lexer', checkContent: true }] });
    h.contentProblem = 'line 2 has 3 fields, the header 1';
    h.drop(ORDERS, 'id\n1,2,3\n');
    await h.idle();
    expect(h.status(ORDERS)).toBe('rejected');
    const { id } = h.job(ORDERS);

    h.contentProblem = undefined;
    h.drop(ORDERS, 'id\n1\n');
    await h.idle();

    expect(h.agent.jobs().map((j) => [j.id, j.state.status])).toEqual([[id, 'completed']]);
    expect(h.vendor.contentsOf(ORDERS)).toEqual(['id\n1\n']);
  });

  it('makes no second job when the watcher reports an unchanged file again', async () => {
    const h = await agentHarness();
    const path = h.drop(ORDERS, 'id\n1\n');
    await h.idle();

    h.watcher.emit({ type: 'file', folder: WATCHED, path });
    await h.idle();

    expect(h.agent.jobs()).toHaveLength(1);
    expect(h.vendor.received).toHaveLength(1);
  });
});

describe('DeliveryAgent: a file removed before it was sent', () => {
  it('leaves no job when the watcher tells of the removal while the file settles', async () => {
    const h = await agentHarness();
    const path = h.drop(ORDERS, 'id\n1\n');
    await settle();
    expect(h.status(ORDERS)).toBe('waiting-for-write');
    const { id } = h.job(ORDERS);

    h.remove(path);
    await h.idle();

    expect(h.agent.jobs()).toEqual([]);
    expect(h.stored()).toEqual([]);
    expect(h.events).toContainEqual({ type: 'job-removed', id });
    expect(h.http.exchanges).toEqual([]);
  });

  it('leaves no job when the file is gone before the watcher says so', async () => {
    const h = await agentHarness();
    const path = h.drop(ORDERS, 'id\n1\n');
    await settle();
    h.files.remove(path);
    await h.idle();

    expect(h.agent.jobs()).toEqual([]);
    expect(h.stored()).toEqual([]);
    expect(h.http.exchanges).toEqual([]);
  });

  it('forgets a rejected job when its file is removed', async () => {
    const h = await agentHarness();
    const path = h.drop(BAD_DATE, 'id\n1\n');
    await h.idle();
    expect(h.status(BAD_DATE)).toBe('rejected');

    h.remove(path);
    await h.idle();

    expect(h.agent.jobs()).toEqual([]);
    expect(h.stored()).toEqual([]);
  });
  it('forgets a paused job when its file is removed: resuming must not bring back a file that is gone', async () => {
    const h = await agentHarness();
    h.agent.pause();
    const path = h.drop(ORDERS, 'id\n1\n');
    await h.idle();
    expect(h.status(ORDERS)).toBe('paused');

    h.remove(path);
    await h.idle();

    expect(h.agent.jobs()).toEqual([]);
    expect(h.stored()).toEqual([]);
  });
});

describe('DeliveryAgent: duplicate content', () => {
  it('rejects the same bytes under another name as duplicate-content, naming the earlier delivery', async () => {
    const h = await agentHarness();
    h.drop(ORDERS, 'id\n1\n');
    await h.idle();

    h.drop('orders-2024-06-12-v2.csv', 'id\n1\n');
    await h.idle();

    expect(h.job('orders-2024-06-12-v2.csv').state).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(
        new RegExp(`^duplicate-content: .*${WATCHED}/${ORDERS} \\(remote id r-1\\)`),
      ) as string,
    });
    expect(h.vendor.received.map((r) => r.name)).toEqual([ORDERS]);
  });

  it('sends a duplicate anyway when a person retries it with force, as its reason says', async () => {
    const h = await agentHarness();
    h.drop(ORDERS, 'id\n1\n');
    await h.idle();
    h.drop('orders-2024-06-12-v2.csv', 'id\n1\n');
    await h.idle();
    const duplicate = h.job('orders-2024-06-12-v2.csv');
    expect(duplicate.state).toMatchObject({
      reason: expect.stringContaining('retry with --force') as string,
    });

    expect(h.agent.retry(duplicate.id)).toBe(true);
    await h.idle();
    expect(h.status('orders-2024-06-12-v2.csv')).toBe('rejected');

    expect(h.agent.retry(duplicate.id, true)).toBe(true);
    await h.idle();
    expect(h.status('orders-2024-06-12-v2.csv')).toBe('completed');
    expect(h.vendor.received.map((r) => r.name)).toEqual([ORDERS, 'orders-2024-06-12-v2.csv']);
  });

  it('delivers the same bytes dropped under two names at once only once', async () => {
    const h = await agentHarness();
    h.drop(ORDERS, 'id\n1\n');
    h.drop('orders-2024-06-12-v2.csv', 'id\n1\n');
    await h.idle();

    expect(Object.values(h.statuses()).sort()).toEqual(['completed', 'rejected']);
    expect(h.vendor.received).toHaveLength(1);
  });

  it('delivers the same bytes to two different targets', async () => {
    const h = await agentHarness({
      targets: { lexer: LEXER, other: lexerAt('https://api.other.example/v1/uploads') },
      folders: [
        { path: WATCHED, target: 'lexer' },
        { path: SALES, target: 'other' },
      ],
    });
    h.drop(ORDERS, 'id\n1\n');
    h.drop(ORDERS, 'id\n1\n', SALES);
    await h.idle();

    expect(h.agent.jobs().map((j) => j.state.status)).toEqual(['completed', 'completed']);
    expect(h.vendor.received.map((r) => r.endpoint).sort()).toEqual([
      LEXER_ENDPOINT,
      'https://api.other.example/v1/uploads',
    ]);
  });
});

describe('DeliveryAgent: pause and resume', () => {
  const twoFolders = {
    folders: [
      { path: WATCHED, target: 'lexer' },
      { path: SALES, target: 'lexer' },
    ],
  };

  it('holds the jobs of a paused folder, delivers the others, and sends the held ones on resume', async () => {
    const h = await agentHarness(twoFolders);
    h.agent.pause(SALES);
    h.drop(ORDERS, 'id\n1\n');
    h.drop(REFUNDS, 'id\n2\n', SALES);
    await h.idle();

    expect(h.agent.isFolderPaused(SALES)).toBe(true);
    expect(h.agent.isFolderPaused(WATCHED)).toBe(false);
    expect(h.statuses()).toEqual({ [ORDERS]: 'completed', [REFUNDS]: 'paused' });
    expect(h.stored().find((r) => r.folder === SALES)?.state).toEqual({ status: 'paused' });
    expect(h.vendor.received.map((r) => r.name)).toEqual([ORDERS]);

    h.agent.resume(SALES);
    await h.idle();

    expect(h.statuses()).toEqual({ [ORDERS]: 'completed', [REFUNDS]: 'completed' });
    expect(h.vendor.received.map((r) => r.name)).toEqual([ORDERS, REFUNDS]);
  });

  it('holds every folder when all is paused, until all is resumed', async () => {
    const h = await agentHarness(twoFolders);
    h.agent.pause();
    h.drop(ORDERS, 'id\n1\n');
    h.drop(REFUNDS, 'id\n2\n', SALES);
    await h.idle();

    expect(h.agent.isPausedAll()).toBe(true);
    expect(h.statuses()).toEqual({ [ORDERS]: 'paused', [REFUNDS]: 'paused' });
    expect(h.http.exchanges).toEqual([]);

    h.agent.resume();
    await h.idle();

    expect(h.agent.isPausedAll()).toBe(false);
    expect(h.statuses()).toEqual({ [ORDERS]: 'completed', [REFUNDS]: 'completed' });
    expect(h.vendor.received).toHaveLength(2);
  });

  it('stops an upload under way on pause, and delivers the file once on resume', async () => {
    const h = await agentHarness();
    h.vendor.hold();
    h.drop(ORDERS, 'id\n1\n');
    await h.until(() => h.status(ORDERS) === 'uploading', 'the upload');

    h.agent.pause();
    await h.until(() => h.status(ORDERS) === 'paused', 'the pause');
    h.vendor.release();
    expect(h.vendor.received).toEqual([]);

    h.agent.resume();
    await h.idle();

    expect(h.status(ORDERS)).toBe('completed');
    expect(h.vendor.contentsOf(ORDERS)).toEqual(['id\n1\n']);
  });
});
