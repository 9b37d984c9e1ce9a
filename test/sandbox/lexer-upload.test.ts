import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import {
  foreignPresignedPut,
  lexerUrl,
  postJson,
  put,
  rawRequest,
  s3ErrorCode,
  s3ErrorMessage,
} from './http-client.js';

const run = promisify(execFile);
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

let sandbox: RunningSandbox;
let workDir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  workDir = await mkdtemp(join(tmpdir(), 'ferry-lexer-test-'));
});

afterAll(async () => {
  await sandbox.close();
  await rm(workDir, { recursive: true, force: true });
});

describe('the seeds’ curl walkthrough', () => {
  it('delivers a file byte-exact with POST + jq -r .url + curl -XPUT --upload-file', async () => {
    const name = 'customers-2024-01-31-v1.csv';
    const content = `id,email\n${Array.from({ length: 500 }, (_, i) => `${i},user${i}@example.com`).join('\n')}\n`;
    await writeFile(join(workDir, name), content);
    // The vendor's documented workflow, word for word, with the endpoint and token filled in.
    const script = [
      `url=$(curl -XPOST -H 'Auth-Api-Token:${sandbox.token}' ${sandbox.endpoint}/v1/uploads -H 'Content-type: application/json' -d '{"filename": "${name}"}' | jq -r .url)`,
      `curl -XPUT "\${url}" --upload-file ${name}`,
    ].join('\n');
    await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: workDir });
    const delivery = (await sandbox.deliveries()).find((d) => d.filename === name);
    expect(delivery).toMatchObject({
      api: 'lexer',
      size: Buffer.byteLength(content),
      sha256: sha256(content),
    });
  });

  it('answers the URL with & escaped as \\u0026, as the vendor does', async () => {
    const answer = await postJson(sandbox, '/v1/uploads', { filename: 'orders-2024-02-01-v2.json' });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('\\u0026X-Amz-');
    expect(answer.body).not.toContain('&');
    const parsed = JSON.parse(answer.body) as { id: unknown; url: string };
    expect(typeof parsed.id).toBe('number');
    expect(parsed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s3\/deliveries\/.+X-Amz-Signature=[0-9a-f]{64}/);
  });

  it('bakes no empty-body checksum into the URL', async () => {
    const url = await lexerUrl(sandbox, 'customers-2024-01-31-v1.csv');
    expect(url.toLowerCase()).not.toContain('x-amz-checksum');
    expect(url.toLowerCase()).not.toContain('x-amz-sdk-checksum-algorithm');
  });

  it('reproduces the vendor error when the \\u0026 is pasted into the URL literally', async () => {
    const raw = (await postJson(sandbox, '/v1/uploads', { filename: 'orders-2024-02-01-v2.json' })).body;
    const pasted = /"url":"([^"]+)"/.exec(raw)?.[1] ?? '';
    const answer = await put(pasted, 'x');
    expect(answer.status).toBe(400);
    expect(s3ErrorCode(answer.body)).toBe('AuthorizationQueryParametersError');
    expect(s3ErrorMessage(answer.body)).toBe('X-Amz-Algorithm only supports &#34;AWS4-HMAC-SHA256&#34;');
  });
});

describe('presigned PUT', () => {
  it('stores a valid PUT (200) and records exactly the bytes sent', async () => {
    const body = randomBytes(256 * 1024);
    const url = await lexerUrl(sandbox, 'payload-2024-03-01-v1.ndjson');
    const answer = await put(url, body);
    expect(answer.status).toBe(200);
    expect(answer.headers.etag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
    const key = new URL(url).pathname.replace('/s3/deliveries/', '');
    const delivery = (await sandbox.deliveries()).find((d) => d.key === key);
    expect(delivery).toMatchObject({ size: body.length, sha256: sha256(body), api: 'lexer' });
    // And the store itself holds those bytes.
    const stored = await fetch(`${sandbox.s3.endpoint}/${sandbox.s3.bucket}/${key}`);
    expect(sha256(Buffer.from(await stored.arrayBuffer()))).toBe(sha256(body));
  });

  it('refuses a tampered signature with 403 SignatureDoesNotMatch', async () => {
    const url = new URL(await lexerUrl(sandbox, 'tamper-2024-03-01-v1.csv'));
    const signature = url.searchParams.get('X-Amz-Signature') ?? '';
    url.searchParams.set('X-Amz-Signature', `${signature.startsWith('a') ? 'b' : 'a'}${signature.slice(1)}`);
    const answer = await put(url.toString(), 'data');
    expect(answer.status).toBe(403);
    expect(s3ErrorCode(answer.body)).toBe('SignatureDoesNotMatch');
    expect(answer.headers['content-type']).toBe('application/xml');
  });

  it('refuses a URL used for another key with 403 SignatureDoesNotMatch, storing nothing', async () => {
    const url = new URL(await lexerUrl(sandbox, 'mine-2024-03-01-v1.csv'));
    url.pathname = url.pathname.replace('mine-2024', 'other-2024');
    const answer = await put(url.toString(), 'data');
    expect(answer.status).toBe(403);
    expect(s3ErrorCode(answer.body)).toBe('SignatureDoesNotMatch');
    expect((await sandbox.deliveries()).some((d) => d.key.includes('other-2024'))).toBe(false);
  });

  it('refuses a PUT URL used with another method with 403 SignatureDoesNotMatch', async () => {
    const url = await lexerUrl(sandbox, 'method-2024-03-01-v1.csv');
    const answer = await rawRequest(url, { method: 'GET' });
    expect(answer.status).toBe(403);
    expect(s3ErrorCode(answer.body)).toBe('SignatureDoesNotMatch');
  });

  it('refuses a URL signed with the right key id but a wrong secret', async () => {
    const url = await foreignPresignedPut(sandbox, 'lexer/x/forged.csv', {
      secretAccessKey: 'not-the-secret',
    });
    const answer = await put(url, 'data');
    expect(answer.status).toBe(403);
    expect(s3ErrorCode(answer.body)).toBe('SignatureDoesNotMatch');
  });

  it('refuses an unknown access key with 403 InvalidAccessKeyId', async () => {
    const url = await foreignPresignedPut(sandbox, 'lexer/x/unknown.csv', { accessKeyId: 'AKIAUNKNOWN' });
    const answer = await put(url, 'data');
    expect(answer.status).toBe(403);
    expect(s3ErrorCode(answer.body)).toBe('InvalidAccessKeyId');
  });

  it('refuses an expired URL with 403 "Request has expired"', async () => {
    const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
    const url = await foreignPresignedPut(sandbox, 'lexer/x/expired.csv', { signingDate: twoHoursAgo });
    const answer = await put(url, 'data');
    expect(answer.status).toBe(403);
    expect(s3ErrorCode(answer.body)).toBe('AccessDenied');
    expect(s3ErrorMessage(answer.body)).toBe('Request has expired');
  });

  it('refuses an unsigned request with 403 AccessDenied', async () => {
    const answer = await put(`${sandbox.endpoint}/s3/deliveries/lexer/x/anonymous.csv`, 'data');
    expect(answer.status).toBe(403);
    expect(s3ErrorCode(answer.body)).toBe('AccessDenied');
  });

  it('requires a Content-Length, as S3 does (411)', async () => {
    const url = await lexerUrl(sandbox, 'chunked-2024-03-01-v1.csv');
    const answer = await rawRequest(url, {
      method: 'PUT',
      headers: { 'transfer-encoding': 'chunked' },
      body: 'abc',
    });
    expect(answer.status).toBe(411);
    expect(s3ErrorCode(answer.body)).toBe('MissingContentLength');
  });

  it('overwrites on a second PUT to the same URL and keeps one record per key', async () => {
    const url = await lexerUrl(sandbox, 'twice-2024-03-01-v1.csv');
    expect((await put(url, 'first')).status).toBe(200);
    expect((await put(url, 'second!')).status).toBe(200);
    const records = (await sandbox.deliveries()).filter((d) => d.filename === 'twice-2024-03-01-v1.csv');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ size: 7, sha256: sha256('second!') });
  });
});

/** Sends half of a PUT's declared body, then drops the connection. */
async function breakOffPut(url: string, size: number): Promise<void> {
  const req = request(url, { method: 'PUT', headers: { 'content-length': String(size) } });
  req.on('error', () => undefined);
  req.write(randomBytes(size / 2));
  await new Promise((resolve) => setTimeout(resolve, 300));
  req.destroy();
}

async function eventually<T>(read: () => Promise<T>, expected: T): Promise<T> {
  let last = await read();
  for (let i = 0; i < 40 && last !== expected; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
  return last;
}

describe('a PUT the client breaks off', () => {
  it('leaves no object behind, and no record', async () => {
    const url = await lexerUrl(sandbox, 'broken-2024-03-01-v1.csv');
    const key = new URL(url).pathname.replace('/s3/deliveries/', '');
    await breakOffPut(url, 2 * 1024 * 1024);
    const status = () => fetch(`${sandbox.s3.endpoint}/${sandbox.s3.bucket}/${key}`).then((r) => r.status);
    expect(await eventually(status, 404)).toBe(404);
    expect((await sandbox.deliveries()).some((d) => d.key === key)).toBe(false);
  });

  it('keeps the previous object intact when it was an overwrite, as S3 does', async () => {
    const url = await lexerUrl(sandbox, 'overwrite-2024-03-01-v1.csv');
    const key = new URL(url).pathname.replace('/s3/deliveries/', '');
    const stored = () => fetch(`${sandbox.s3.endpoint}/${sandbox.s3.bucket}/${key}`).then((r) => r.text());
    expect((await put(url, 'the first version')).status).toBe(200);
    await breakOffPut(url, 2 * 1024 * 1024);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await stored()).toBe('the first version');
    expect((await sandbox.deliveries()).find((d) => d.key === key)?.size).toBe(17);
    expect((await put(url, 'the second version')).status).toBe(200);
    expect(await stored()).toBe('the second version');
    expect((await sandbox.deliveries()).find((d) => d.key === key)?.size).toBe(18);
  });
});

describe('POST /v1/uploads', () => {
  it('answers 401 for a missing token', async () => {
    const answer = await postJson(sandbox, '/v1/uploads', { filename: 'customers-2024-01-31-v1.csv' }, null);
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toHaveProperty('error');
  });

  it('answers 401 for an unknown token', async () => {
    const answer = await postJson(
      sandbox,
      '/v1/uploads',
      { filename: 'customers-2024-01-31-v1.csv' },
      'wrong-token',
    );
    expect(answer.status).toBe(401);
  });

  it('answers 400 with code, reason and suggestion for a name that breaks the convention', async () => {
    const answer = await postJson(sandbox, '/v1/uploads', { filename: 'customers-2024-1-31-v1.csv' });
    expect(answer.status).toBe(400);
    const error = JSON.parse(answer.body) as Record<string, string>;
    expect(error.code).toMatch(/^[a-z-]+$/);
    expect(error.reason).not.toBe('');
    expect(error.suggestion).toBe('customers-2024-01-31-v1.csv');
    expect(error.error).toContain(error.reason);
  });

  it('answers 400 for a name without a version', async () => {
    const answer = await postJson(sandbox, '/v1/uploads', { filename: 'customers-2024-01-31.csv' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toHaveProperty('code');
  });

  it('answers 400 for malformed JSON, a non-object body and a missing filename', async () => {
    for (const body of ['{"filename": ', '["customers-2024-01-31-v1.csv"]', '{"dataset_id": "d1"}']) {
      const answer = await postJson(sandbox, '/v1/uploads', body);
      expect(answer.status, body).toBe(400);
      expect(JSON.parse(answer.body), body).toHaveProperty('error');
    }
  });

  it('accepts dataset_id and record_type alongside the filename (NDJSON auto-load)', async () => {
    const answer = await postJson(sandbox, '/v1/uploads', {
      filename: 'customer_record-2024-01-31-v1.ndjson',
      dataset_id: 'ds-123',
      record_type: 'customer_record',
    });
    expect(answer.status).toBe(200);
  });

  it('refuses a dataset_id that is not a plain value', async () => {
    const answer = await postJson(sandbox, '/v1/uploads', {
      filename: 'customer_record-2024-01-31-v1.ndjson',
      dataset_id: { nested: true },
    });
    expect(answer.status).toBe(400);
  });
});
