import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { arrivals, dropFiles, ferry, ferrySync, watch, watchOnce } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

/** ferry jobs, retry, pause and resume: on a running agent (its socket) and on a stored queue. */
let sandbox: RunningSandbox;
const tempDir = useTempDir('control');

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

interface JobLine {
  id: string;
  file: string;
  status: string;
  size: number | null;
  sent: number;
  attempts: number;
  remoteId?: string;
  error?: string;
  reason?: string;
  updatedAt: string;
}

function jobs(stateDir: string): JobLine[] {
  const { code, stdout } = ferrySync(['jobs', '--state-dir', stateDir, '--json']);
  expect(code).toBe(0);
  return JSON.parse(stdout) as JobLine[];
}

describe('ferry jobs', () => {
  it('lists the stored queue in the documented shape', async () => {
    const folder = await tempDir();
    const stateDir = await tempDir();
    await dropFiles(folder, 'listed', 1, 20);
    await writeFile(join(folder, 'Bad Name.csv'), 'id\n1\n');
    await watchOnce(sandbox, folder, stateDir);
    const listed = jobs(stateDir);
    expect(listed).toHaveLength(2);
    const delivered = listed.find((j) => j.status === 'completed');
    expect(delivered).toMatchObject({
      file: join(folder, 'listed0-2024-06-12-v1.csv'),
      attempts: 1,
      remoteId: expect.any(String) as unknown,
    });
    expect(delivered?.sent).toBe(delivered?.size);
    expect(new Date(delivered?.updatedAt ?? '').getTime()).toBeGreaterThan(0);
    expect(listed.find((j) => j.status === 'rejected')).toMatchObject({
      file: join(folder, 'Bad Name.csv'),
      reason: expect.stringContaining('bad-character') as unknown,
    });
  });
});

describe('on a running agent', () => {
  it('pauses and resumes deliveries through the agent socket', async () => {
    const folder = await tempDir();
    const stateDir = await tempDir();
    const agent = watch(sandbox, folder, stateDir);
    await expect
      .poll(() => ferrySync(['pause', '--state-dir', stateDir]).stdout, { timeout: 10_000 })
      .toBe('paused\n');
    const expected = await dropFiles(folder, 'held', 2, 20);
    await expect
      .poll(() => jobs(stateDir).map((j) => j.status), { timeout: 10_000 })
      .toEqual(['paused', 'paused']);
    expect((await arrivals(sandbox, expected)).counts.size).toBe(0);

    expect(ferrySync(['resume', '--state-dir', stateDir]).stdout).toBe('resumed\n');
    await expect
      .poll(() => jobs(stateDir).map((j) => j.status), { timeout: 10_000 })
      .toEqual(['completed', 'completed']);
    expect([...(await arrivals(sandbox, expected)).counts.values()]).toEqual([1, 1]);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
  });
});

describe('on a stored queue', () => {
  it('retries failed jobs at the next start: a vendor refusal, then a vendor that takes them', async () => {
    const folder = await tempDir();
    const stateDir = await tempDir();
    const expected = await dropFiles(folder, 'again', 2, 20);
    // A vendor that refuses the files outright (a 4xx other than 401 is not retried).
    const refusing = createServer((req, res) => {
      req.resume();
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"dataset is closed"}');
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const { port } = refusing.address() as AddressInfo;
    const closed = { ...sandbox, endpoint: `http://127.0.0.1:${port}` };
    try {
      expect((await watchOnce(closed, folder, stateDir)).code).toBe(1);
    } finally {
      refusing.close();
    }
    expect(jobs(stateDir).map((j) => j.status)).toEqual(['failed', 'failed']);
    expect(jobs(stateDir)[0]?.error).toMatch(/dataset is closed/);

    const retry = ferrySync(['retry', '--failed', '--state-dir', stateDir]);
    expect(retry.stdout).toBe('2 job(s) queued again\n');
    expect(retry.code).toBe(0);

    expect((await watchOnce(sandbox, folder, stateDir)).code).toBe(0);
    expect(jobs(stateDir).map((j) => j.status)).toEqual(['completed', 'completed']);
    expect([...(await arrivals(sandbox, expected)).counts.values()]).toEqual([1, 1]);
  });

  it('sends a failed import again when it is retried with no agent running', async () => {
    const folder = await tempDir();
    const stateDir = await tempDir();
    const config = join(await tempDir(), 'ferry.json');
    // A ragged CSV: Ferry's own content checks are off, so only the vendor's import refuses it.
    const name = 'ragged-2024-06-12-v1.csv';
    await writeFile(join(folder, name), 'id,name\n1\n2,b\n');
    await writeFile(
      config,
      JSON.stringify({
        targets: {
          analytics: { profile: 'analytics', endpoint: `${sandbox.endpoint}/analytics/files/upload` },
        },
        folders: [
          { path: folder, target: 'analytics', fields: { datasetType: 'transactions' }, checks: false },
        ],
      }),
    );
    const watchOnceWithConfig = async () => {
      const run = ferry(['watch', '--config', config, '--state-dir', stateDir, '--settle', '0.3', '--once'], {
        FERRY_TOKEN: sandbox.token,
      });
      return { code: await run.exited, output: run.output() };
    };
    const received = async () => (await sandbox.deliveries()).filter((d) => d.filename === name).length;

    expect((await watchOnceWithConfig()).code).toBe(1);
    const [failed] = jobs(stateDir);
    expect(failed).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/could not import/) as unknown,
    });
    expect(await received()).toBe(1);

    expect(ferrySync(['retry', failed?.id ?? '', '--state-dir', stateDir]).stdout).toBe(
      '1 job(s) queued again\n',
    );
    // The vendor holds the bytes but did not import them: a retry must send them again, not
    // take the ledger's word that they were delivered.
    expect((await watchOnceWithConfig()).code).toBe(1);
    expect(await received()).toBe(2);
    expect(jobs(stateDir)[0]).toMatchObject({ id: failed?.id, status: 'failed', attempts: 2 });
  });

  it('keeps files held on a refused token queued, and sends them at the next start with a good one', async () => {
    const folder = await tempDir();
    const stateDir = await tempDir();
    const expected = await dropFiles(folder, 'tokenheld', 2, 20);
    expect((await watchOnce(sandbox, folder, stateDir, [], 'not-the-token')).code).toBe(1);
    expect(jobs(stateDir).map((j) => j.status)).toEqual(['queued', 'queued']);

    expect((await watchOnce(sandbox, folder, stateDir)).code).toBe(0);
    expect(jobs(stateDir).map((j) => j.status)).toEqual(['completed', 'completed']);
    expect([...(await arrivals(sandbox, expected)).counts.values()]).toEqual([1, 1]);
  });

  it('says so when there is nothing to retry, and refuses a bad call', async () => {
    const stateDir = await tempDir();
    expect(ferrySync(['retry', 'no-such-job', '--state-dir', stateDir])).toMatchObject({
      code: 1,
      stdout: '0 job(s) queued again\n',
    });
    expect(ferrySync(['retry', '--state-dir', stateDir]).code).toBe(2);
  });
});
