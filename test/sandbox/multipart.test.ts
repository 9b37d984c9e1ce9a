import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { postJson, put, rawRequest, s3ErrorCode, type RawResponse } from './http-client.js';

const MiB = 1024 * 1024;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

interface Part {
  readonly partNumber: number;
  readonly etag: string;
  readonly size: number;
}

function okBody(answer: RawResponse): unknown {
  expect(answer.status, answer.body).toBeLessThan(300);
  return JSON.parse(answer.body);
}

async function create(filename: string): Promise<{ uploadId: string; key: string }> {
  return okBody(await postJson(sandbox, '/v1/multipart', { filename })) as { uploadId: string; key: string };
}

async function partUrl(uploadId: string, n: number): Promise<string> {
  return (okBody(await postJson(sandbox, `/v1/multipart/${uploadId}/parts/${n}`, {})) as { url: string }).url;
}

async function listParts(uploadId: string): Promise<Part[]> {
  const answer = await rawRequest(`${sandbox.endpoint}/v1/multipart/${uploadId}/parts`, {
    headers: { 'auth-api-token': sandbox.token },
  });
  return (okBody(answer) as { parts: Part[] }).parts;
}

function complete(
  uploadId: string,
  parts: readonly { partNumber: number; etag: string }[],
): Promise<RawResponse> {
  return postJson(sandbox, `/v1/multipart/${uploadId}/complete`, { parts });
}

describe('S3 multipart through the sandbox', () => {
  it('round-trips create → presign part → PUT → list → complete, byte-exact', async () => {
    const { uploadId, key } = await create('events-2024-05-01-v1.ndjson');
    expect(key).toContain('events-2024-05-01-v1.ndjson');
    const chunks = [randomBytes(5 * MiB), randomBytes(5 * MiB + 123), randomBytes(1000)];
    // Upload out of order, as a resumed client might.
    for (const n of [2, 1, 3]) {
      const answer = await put(await partUrl(uploadId, n), chunks[n - 1] ?? Buffer.alloc(0));
      expect(answer.status).toBe(200);
      expect(answer.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    }
    const parts = await listParts(uploadId);
    expect(parts.map((p) => [p.partNumber, p.size])).toEqual([
      [1, 5 * MiB],
      [2, 5 * MiB + 123],
      [3, 1000],
    ]);
    const done = okBody(
      await complete(
        uploadId,
        parts.map(({ partNumber, etag }) => ({ partNumber, etag })),
      ),
    ) as { id: number; key: string; sha256: string };
    const whole = Buffer.concat(chunks);
    expect(done).toMatchObject({ key, sha256: sha256(whole) });
    expect(typeof done.id).toBe('number');
    const delivery = (await sandbox.deliveries()).find((d) => d.key === key);
    expect(delivery).toMatchObject({ api: 'multipart', size: whole.length, sha256: sha256(whole) });
    const stored = await fetch(`${sandbox.s3.endpoint}/${sandbox.s3.bucket}/${key}`);
    expect(sha256(Buffer.from(await stored.arrayBuffer()))).toBe(sha256(whole));
    // A completed upload is gone.
    const after = await rawRequest(`${sandbox.endpoint}/v1/multipart/${uploadId}/parts`, {
      headers: { 'auth-api-token': sandbox.token },
    });
    expect(after.status).toBe(404);
  });

  it('lists a re-sent part once, with its latest etag', async () => {
    const { uploadId } = await create('resend-2024-05-01-v1.csv');
    const url = await partUrl(uploadId, 1);
    await put(url, 'first version');
    await put(url, 'second version!');
    const parts = await listParts(uploadId);
    expect(parts).toEqual([
      { partNumber: 1, etag: createHash('md5').update('second version!').digest('hex'), size: 15 },
    ]);
  });

  it('refuses completion with a wrong etag (InvalidPart), out of order (InvalidPartOrder) or a small part (EntityTooSmall)', async () => {
    const { uploadId } = await create('strict-2024-05-01-v1.csv');
    await put(await partUrl(uploadId, 1), 'small first part');
    await put(await partUrl(uploadId, 2), 'last');
    const parts = await listParts(uploadId);
    const [one, two] = parts.map(({ partNumber, etag }) => ({ partNumber, etag }));
    if (one === undefined || two === undefined) throw new Error('two parts expected');
    const wrongEtag = await complete(uploadId, [{ ...one, etag: '0'.repeat(32) }, two]);
    expect([wrongEtag.status, JSON.parse(wrongEtag.body)]).toMatchObject([400, { code: 'InvalidPart' }]);
    const outOfOrder = await complete(uploadId, [two, one]);
    expect([outOfOrder.status, JSON.parse(outOfOrder.body)]).toMatchObject([
      400,
      { code: 'InvalidPartOrder' },
    ]);
    const tooSmall = await complete(uploadId, [one, two]);
    expect([tooSmall.status, JSON.parse(tooSmall.body)]).toMatchObject([400, { code: 'EntityTooSmall' }]);
  });

  it('aborts: the upload and its parts are gone, and its part URLs stop working', async () => {
    const { uploadId } = await create('aborted-2024-05-01-v1.csv');
    const url = await partUrl(uploadId, 1);
    expect((await put(url, 'some bytes')).status).toBe(200);
    const abort = await rawRequest(`${sandbox.endpoint}/v1/multipart/${uploadId}`, {
      method: 'DELETE',
      headers: { 'auth-api-token': sandbox.token },
    });
    expect(abort.status).toBe(204);
    const list = await rawRequest(`${sandbox.endpoint}/v1/multipart/${uploadId}/parts`, {
      headers: { 'auth-api-token': sandbox.token },
    });
    expect(list.status).toBe(404);
    const late = await put(url, 'late bytes');
    expect(late.status).toBe(404);
    expect(s3ErrorCode(late.body)).toBe('NoSuchUpload');
  });

  it('checks the filename and the token like the lexer API', async () => {
    const badName = await postJson(sandbox, '/v1/multipart', { filename: 'no convention.csv' });
    expect(badName.status).toBe(400);
    expect(JSON.parse(badName.body)).toHaveProperty('code');
    const noToken = await postJson(
      sandbox,
      '/v1/multipart',
      { filename: 'events-2024-05-01-v1.ndjson' },
      'nope',
    );
    expect(noToken.status).toBe(401);
  });

  it('refuses a part URL whose signature was tampered with', async () => {
    const { uploadId } = await create('tamper-2024-05-01-v1.csv');
    const url = new URL(await partUrl(uploadId, 1));
    url.searchParams.set('partNumber', '2');
    const answer = await put(url.toString(), 'bytes');
    expect(answer.status).toBe(403);
    expect(s3ErrorCode(answer.body)).toBe('SignatureDoesNotMatch');
    expect(await listParts(uploadId)).toEqual([]);
  });
});
