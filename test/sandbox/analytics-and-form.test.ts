import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { postJson, put, rawRequest } from './http-client.js';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, processingDelayMs: 300 });
});

afterAll(async () => {
  await sandbox.close();
});

interface FileStatus {
  readonly status: string;
  readonly statistics?: { rows: number; columns: number };
  readonly error?: string;
}

async function status(id: string): Promise<FileStatus> {
  const answer = await rawRequest(`${sandbox.endpoint}/analytics/files/${id}`, {
    headers: { authorization: `Bearer ${sandbox.token}` },
  });
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body) as FileStatus;
}

/** Polls until the status leaves Pending/Processing, recording every status seen. */
async function settle(id: string): Promise<{ final: FileStatus; seen: Set<string> }> {
  const seen = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const current = await status(id);
    seen.add(current.status);
    if (current.status === 'Completed' || current.status === 'Failed') return { final: current, seen };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`file ${id} never settled`);
}

async function uploadAnalytics(name: string, type: string, body: string | Buffer): Promise<string> {
  const answer = await postJson(sandbox, '/analytics/files/upload', {
    datasetType: 'transactions',
    file: { name, type },
  });
  expect(answer.status).toBe(200);
  const { id, url, expiresIn } = JSON.parse(answer.body) as { id: string; url: string; expiresIn: number };
  expect(expiresIn).toBe(3600);
  expect((await status(id)).status).toBe('Pending');
  expect((await put(url, body)).status).toBe(200);
  return id;
}

describe('analytics FileUpload API', () => {
  it('goes Pending → Processing → Completed with row and column counts for a good CSV', async () => {
    const csv =
      'date,amount,"memo, free text"\n2025-01-01,10,"multi\nline"\n2025-01-02,20,"has ""quotes"""\n';
    const id = await uploadAnalytics('testprovider_transactions_2025-01-01.csv', 'csv', csv);
    const { final, seen } = await settle(id);
    expect(seen.has('Processing')).toBe(true);
    expect(final.status).toBe('Completed');
    expect(final.statistics).toMatchObject({ rows: 2, columns: 3 });
  });

  it('fails a ragged CSV with the reason', async () => {
    const id = await uploadAnalytics(
      'testprovider_transactions_2025-01-02.csv',
      'csv',
      'a,b,c\n1,2,3\n4,5\n',
    );
    const { final } = await settle(id);
    expect(final.status).toBe('Failed');
    expect(final.error).toContain('row 2');
    expect(final.error).toContain('2 columns');
  });

  it('fails an empty CSV: no header row', async () => {
    const id = await uploadAnalytics('testprovider_transactions_2025-01-03.csv', 'csv', '');
    const { final } = await settle(id);
    expect(final.status).toBe('Failed');
    expect(final.error).toContain('header');
  });

  it('imports gzipped NDJSON and counts distinct keys as columns', async () => {
    const ndjson = '{"id":1,"a":"x"}\n{"id":2,"b":"y"}\n';
    const id = await uploadAnalytics('testprovider_events_2025-01-01.ndjson.gz', 'ndjson', gzipSync(ndjson));
    const { final } = await settle(id);
    expect(final).toMatchObject({ status: 'Completed', statistics: { rows: 2, columns: 3 } });
  });

  it('refuses a request without datasetType or with an unknown file type (400) and without a token (401)', async () => {
    const noType = await postJson(sandbox, '/analytics/files/upload', {
      file: { name: 'a.csv', type: 'csv' },
    });
    expect(noType.status).toBe(400);
    const badType = await postJson(sandbox, '/analytics/files/upload', {
      datasetType: 'transactions',
      file: { name: 'a.xlsx', type: 'xlsx' },
    });
    expect(badType.status).toBe(400);
    const noToken = await postJson(
      sandbox,
      '/analytics/files/upload',
      { datasetType: 't', file: { name: 'a.csv', type: 'csv' } },
      null,
    );
    expect(noToken.status).toBe(401);
  });

  it('answers 404 for an unknown id', async () => {
    const answer = await rawRequest(`${sandbox.endpoint}/analytics/files/nope`, {
      headers: { authorization: `Bearer ${sandbox.token}` },
    });
    expect(answer.status).toBe(404);
  });
});

describe('Bearer form API', () => {
  const bearer = () => ({ authorization: `Bearer ${sandbox.token}` });

  async function task(
    taskId: string,
  ): Promise<{ status: string; result: { file_id: string } | null; error?: string }> {
    for (let i = 0; i < 100; i++) {
      const answer = await rawRequest(`${sandbox.endpoint}/api/v1/tasks/${taskId}`, { headers: bearer() });
      expect(answer.status).toBe(200);
      const current = JSON.parse(answer.body) as {
        status: string;
        result: { file_id: string } | null;
        error?: string;
      };
      if (current.status === 'SUCCESS' || current.status === 'FAILURE') return current;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`task ${taskId} never finished`);
  }

  async function submit(
    fields: Record<string, string>,
    content: string,
    name: string,
    path = '/api/v1/file/new',
  ) {
    const form = new FormData();
    for (const [field, value] of Object.entries(fields)) form.append(field, value);
    form.append('file', new Blob([content]), name);
    return fetch(`${sandbox.endpoint}${path}`, { method: 'POST', headers: bearer(), body: form });
  }

  it('defines a file from a form, follows the task to SUCCESS, lists it and downloads it byte-exact', async () => {
    const content = 'sku,price\nA1,9.99\n';
    const response = await submit(
      { file_description: 'Multi Line Description', file_size_limit: '100000', enforce_schema: 'true' },
      content,
      'prices.csv',
    );
    expect(response.status).toBe(200);
    const { task_id } = (await response.json()) as { task_id: string };
    const done = await task(task_id);
    expect(done.status).toBe('SUCCESS');
    const fileId = done.result?.file_id ?? '';
    const list = JSON.parse(
      (await rawRequest(`${sandbox.endpoint}/api/v1/files`, { headers: bearer() })).body,
    ) as {
      files_list: { file_id: string; file_name: string; file_description: string; entitlement: string }[];
    };
    expect(list.files_list).toContainEqual(
      expect.objectContaining({
        file_id: fileId,
        file_name: 'prices.csv',
        file_description: 'Multi Line Description',
        entitlement: 'rw',
      }),
    );
    const download = await rawRequest(`${sandbox.endpoint}/api/v1/file/download/${fileId}`, {
      headers: bearer(),
    });
    expect(download.status).toBe(200);
    expect(download.body).toBe(content);
    const delivery = (await sandbox.deliveries()).find(
      (d) => d.api === 'form' && d.filename === 'prices.csv',
    );
    expect(delivery?.sha256).toBe(createHash('sha256').update(content).digest('hex'));
  });

  it('accepts the seed’s curl example, which posts the form to /api/v1/files', async () => {
    const response = await submit(
      { file_description: 'seed example' },
      'x\n1\n',
      'seed.csv',
      '/api/v1/files',
    );
    expect(response.status).toBe(200);
    expect((await task(((await response.json()) as { task_id: string }).task_id)).status).toBe('SUCCESS');
  });

  it('fails the task for a file over file_size_limit, and keeps nothing of it', async () => {
    const response = await submit({ file_size_limit: '5' }, 'more than five bytes', 'big.csv');
    const done = await task(((await response.json()) as { task_id: string }).task_id);
    expect(done.status).toBe('FAILURE');
    expect(done.error).toContain('file_size_limit');
    expect((await sandbox.deliveries()).some((d) => d.filename === 'big.csv')).toBe(false);
  });

  it('fails the task when enforce_schema finds a ragged CSV', async () => {
    const response = await submit({ enforce_schema: 'true' }, 'a,b\n1\n', 'ragged.csv');
    const done = await task(((await response.json()) as { task_id: string }).task_id);
    expect(done.status).toBe('FAILURE');
    expect(done.error).toContain('schema');
  });

  it('wants a Bearer token (401) and a file (400)', async () => {
    const noBearer = await rawRequest(`${sandbox.endpoint}/api/v1/files`, {
      headers: { 'auth-api-token': sandbox.token },
    });
    expect(noBearer.status).toBe(401);
    const form = new FormData();
    form.append('file_description', 'no file');
    const noFile = await fetch(`${sandbox.endpoint}/api/v1/file/new`, {
      method: 'POST',
      headers: bearer(),
      body: form,
    });
    expect(noFile.status).toBe(400);
  });
});
