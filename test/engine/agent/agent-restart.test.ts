import { describe, expect, it } from 'vitest';
import type { JobState } from '../../../src/shared/job.js';
import { agentHarness, ledgerEntry, OLD_MTIME, seenAs, START, storedJob, WATCHED } from './agent-harness.js';

const ORDERS = 'orders-2024-06-12-v1.csv';
const PATH = `${WATCHED}/${ORDERS}`;
const CONTENT = 'id\n1\n';
const error = { kind: 'server', message: 'the upload-URL request answered HTTP 503' };

/** Every state a job can be left in, unfinished and not paused, when the agent stops. */
const UNFINISHED: readonly JobState[] = [
  { status: 'waiting-for-write' },
  { status: 'queued' },
  { status: 'requesting-url' },
  { status: 'uploading', sent: 3, total: 5 },
  { status: 'retry-wait', at: START + 5_000, attempt: 2, error },
  { status: 'processing' },
];

describe('DeliveryAgent: a restart over the journal', () => {
  it.each(UNFINISHED.map((state) => [state.status, state] as const))(
    "resumes a job left '%s' and delivers it once",
    async (_, state) => {
      const h = await agentHarness({ files: { [PATH]: CONTENT }, journal: [storedJob(ORDERS, state)] });
      await h.idle();

      expect(h.agent.jobs()).toHaveLength(1);
      expect(h.job(ORDERS)).toMatchObject({ id: `journal-${ORDERS}`, state: { status: 'completed' } });
      expect(h.stored()).toMatchObject([{ state: { status: 'completed' } }]);
      expect(h.vendor.contentsOf(ORDERS)).toEqual([CONTENT]);
    },
  );

  it('resumes jobs in every unfinished state together, each delivered once, and leaves a paused one paused', async () => {
    const names = UNFINISHED.map((state) => `${state.status}-2024-06-12-v1.csv`);
    const files = Object.fromEntries(names.map((name, i) => [`${WATCHED}/${name}`, `id\n${i}\n`]));
    const journal = UNFINISHED.map((state, i) => storedJob(names[i] ?? '', state));
    const paused = 'paused-2024-06-12-v1.csv';
    const h = await agentHarness({
      files: { ...files, [`${WATCHED}/${paused}`]: 'id\npaused\n' },
      journal: [...journal, storedJob(paused, { status: 'paused' })],
    });
    await h.idle();

    expect(h.statuses()).toEqual({
      ...Object.fromEntries(names.map((name) => [name, 'completed'])),
      [paused]: 'paused',
    });
    expect(h.vendor.received.map((r) => r.name).sort()).toEqual([...names].sort());

    h.agent.resume();
    await h.idle();
    expect(h.status(paused)).toBe('completed');
    expect(h.vendor.contentsOf(paused)).toEqual(['id\npaused\n']);
  });

  it.each([{ status: 'uploading', sent: 5, total: 5 }, { status: 'processing' }] satisfies JobState[])(
    'completes a job left $status whose delivery the ledger recorded before the restart, without a second upload',
    async (state) => {
      const h = await agentHarness({
        files: { [PATH]: CONTENT },
        journal: [storedJob(ORDERS, state)],
        ledger: [ledgerEntry(PATH, CONTENT, { remoteId: 'r-before' })],
      });
      await h.idle();

      expect(h.job(ORDERS).state).toEqual({ status: 'completed', remoteId: 'r-before' });
      expect(h.http.exchanges).toEqual([]);
      expect(h.ledger.entries).toHaveLength(1);
    },
  );

  it('leaves finished jobs as they were: no request, no new job for their unchanged files', async () => {
    const names = ['done-2024-06-12-v1.csv', 'failed-2024-06-12-v1.csv', 'rejected-2024-06-12-v1.csv'];
    const path = (name: string) => `${WATCHED}/${name}`;
    const h = await agentHarness({
      files: Object.fromEntries(names.map((name) => [path(name), `${name}\n`])),
      journal: [
        storedJob(names[0] ?? '', { status: 'completed', remoteId: 'r-before' }, seenAs(`${names[0]}\n`)),
        storedJob(names[1] ?? '', { status: 'failed', error }, seenAs(`${names[1]}\n`)),
        storedJob(
          names[2] ?? '',
          { status: 'rejected', reason: 'content-csv-columns: …' },
          seenAs(`${names[2]}\n`),
        ),
      ],
      ledger: [ledgerEntry(path(names[0] ?? ''), `${names[0]}\n`)],
    });
    await h.idle();

    expect(Object.values(h.statuses())).toEqual(['completed', 'failed', 'rejected']);
    expect(h.http.exchanges).toEqual([]);
  });

  it('forgets a job whose file is gone when the agent starts again', async () => {
    const h = await agentHarness({ journal: [storedJob(ORDERS, { status: 'queued' })] });
    await h.idle();

    expect(h.agent.jobs()).toEqual([]);
    expect(h.stored()).toEqual([]);
    expect(h.http.exchanges).toEqual([]);
  });

  it('delivers once a file whose upload a quit cut short', async () => {
    const h = await agentHarness();
    h.vendor.hold();
    h.drop(ORDERS, CONTENT);
    await h.until(() => h.status(ORDERS) === 'uploading', 'the upload');

    await h.restart();
    h.vendor.release();
    await h.idle();

    expect(h.agent.jobs()).toHaveLength(1);
    expect(h.status(ORDERS)).toBe('completed');
    expect(h.vendor.contentsOf(ORDERS)).toEqual([CONTENT]);
  });

  it('keeps a paused job paused across a restart, until it is resumed', async () => {
    const h = await agentHarness();
    h.agent.pause();
    h.drop(ORDERS, CONTENT);
    await h.idle();
    expect(h.status(ORDERS)).toBe('paused');

    await h.restart();
    await h.idle();
    expect(h.status(ORDERS)).toBe('paused');
    expect(h.http.exchanges).toEqual([]);

    h.agent.resume();
    await h.idle();
    expect(h.status(ORDERS)).toBe('completed');
    expect(h.vendor.contentsOf(ORDERS)).toEqual([CONTENT]);
  });
});

describe('DeliveryAgent: files the watcher reports with their size and time', () => {
  it('passes over a delivered file on what the watcher read, without a look of its own', async () => {
    const h = await agentHarness({ ledger: [ledgerEntry(PATH, CONTENT)] });
    h.files.write(PATH, CONTENT, OLD_MTIME);
    const seen = { size: CONTENT.length, mtimeMs: OLD_MTIME };
    h.watcher.emit({ type: 'file', folder: WATCHED, path: PATH, seen });
    await h.idle();

    expect(h.agent.jobs()).toEqual([]);
    expect(h.probe.looked).toEqual([]);
  });

  it('sends the file when what the watcher read differs from the delivered version', async () => {
    const h = await agentHarness({ ledger: [ledgerEntry(PATH, CONTENT)] });
    h.write(PATH, 'id\n2\n');
    const seen = { size: 5, mtimeMs: OLD_MTIME + 1_000 };
    h.watcher.emit({ type: 'file', folder: WATCHED, path: PATH, seen });
    await h.idle();

    expect(h.job(ORDERS).state.status).toBe('completed');
    expect(h.vendor.contentsOf(ORDERS)).toEqual(['id\n2\n']);
  });
});
