import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/sandbox.js';
import { lexerUrl, postJson, put, rawRequest, s3ErrorCode, s3ErrorMessage } from './http-client.js';

const NAME = 'faulty-2024-06-01-v1.csv';
let running: RunningSandbox | undefined;

async function sandboxWith(options: SandboxOptions): Promise<RunningSandbox> {
  running = await startSandbox({ port: 0, ...options });
  return running;
}

afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** A random source the test scripts: queued values first, then 0.99 (no fault). */
function scripted(): { readonly random: () => number; readonly then: (...values: number[]) => void } {
  const queue: number[] = [];
  return { random: () => queue.shift() ?? 0.99, then: (...values) => queue.push(...values) };
}

// With failRate and stallRate 0.5, each request draws: stall?, fail?, which fault.
const FORCE_500 = [0.9, 0.1, 0.1];
const FORCE_503 = [0.9, 0.1, 0.5];
const FORCE_RESET = [0.9, 0.1, 0.9];
const FORCE_STALL = [0.1];

async function failureCode(request: Promise<unknown>): Promise<string | undefined> {
  try {
    await request;
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
}

describe('--rate-limit', () => {
  it('answers 429 with a Retry-After once the rate is exceeded, and serves again after it', async () => {
    const sandbox = await sandboxWith({ rateLimitPerSecond: 2 });
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await postJson(sandbox, '/v1/uploads', { filename: NAME }));
    const limited = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(2);
    expect(limited.length).toBeGreaterThanOrEqual(2);
    const retryAfter = Number(limited[0]?.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
    expect(JSON.parse(limited[0]?.body ?? '{}')).toHaveProperty('error');
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    expect((await postJson(sandbox, '/v1/uploads', { filename: NAME })).status).toBe(200);
  });
});

describe('--fail-rate', () => {
  it('produces 500, 503 and connection resets on API calls', async () => {
    const script = scripted();
    const sandbox = await sandboxWith({ failRate: 0.5, stallRate: 0.5, random: script.random });
    script.then(...FORCE_500);
    expect((await postJson(sandbox, '/v1/uploads', { filename: NAME })).status).toBe(500);
    script.then(...FORCE_503);
    expect((await postJson(sandbox, '/v1/uploads', { filename: NAME })).status).toBe(503);
    script.then(...FORCE_RESET);
    expect(await failureCode(postJson(sandbox, '/v1/uploads', { filename: NAME }))).toBe('ECONNRESET');
    expect((await postJson(sandbox, '/v1/uploads', { filename: NAME })).status).toBe(200);
  });

  it('produces S3 500/503 errors and mid-body resets on PUT, storing nothing of a cut-off upload', async () => {
    const script = scripted();
    const sandbox = await sandboxWith({ failRate: 0.5, stallRate: 0.5, random: script.random });
    const url = await lexerUrl(sandbox, NAME);
    const body = randomBytes(4 * 1024 * 1024);
    script.then(...FORCE_500);
    const five = await put(url, body);
    expect([five.status, s3ErrorCode(five.body)]).toEqual([500, 'InternalError']);
    script.then(...FORCE_503);
    const unavailable = await put(url, body);
    expect([unavailable.status, s3ErrorCode(unavailable.body)]).toEqual([503, 'ServiceUnavailable']);
    script.then(...FORCE_RESET);
    expect(['ECONNRESET', 'EPIPE']).toContain(await failureCode(put(url, body)));
    expect(await sandbox.deliveries()).toEqual([]);
    const key = new URL(url).pathname.replace('/s3/deliveries/', '');
    expect((await fetch(`${sandbox.s3.endpoint}/${sandbox.s3.bucket}/${key}`)).status).toBe(404);
    expect((await put(url, body)).status).toBe(200);
    expect(await sandbox.deliveries()).toHaveLength(1);
  });

  it('with the real random source, fails a share of requests in every promised way', async () => {
    const sandbox = await sandboxWith({ failRate: 0.6 });
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 80; i++) {
      let outcome: string;
      try {
        outcome = String((await postJson(sandbox, '/v1/uploads', { filename: NAME })).status);
      } catch (error) {
        outcome = (error as NodeJS.ErrnoException).code ?? 'error';
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    expect([...outcomes.keys()].sort()).toEqual(['200', '500', '503', 'ECONNRESET']);
  });
});

describe('--stall-rate', () => {
  it('leaves an API call unanswered', async () => {
    const script = scripted();
    const sandbox = await sandboxWith({ failRate: 0.5, stallRate: 0.5, random: script.random });
    script.then(...FORCE_STALL);
    const started = Date.now();
    const code = await failureCode(
      rawRequest(`${sandbox.endpoint}/v1/uploads`, {
        method: 'POST',
        headers: { 'auth-api-token': sandbox.token },
        body: JSON.stringify({ filename: NAME }),
        timeoutMs: 700,
      }),
    );
    expect(code).toBe('ETIMEDOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(650);
  });

  it('stops reading an upload after its first bytes, and keeps none of it', async () => {
    const script = scripted();
    const sandbox = await sandboxWith({ failRate: 0.5, stallRate: 0.5, random: script.random });
    const url = await lexerUrl(sandbox, NAME);
    script.then(...FORCE_STALL);
    const code = await failureCode(
      rawRequest(url, { method: 'PUT', body: randomBytes(16 * 1024 * 1024), timeoutMs: 1000 }),
    );
    expect(code).toBe('ETIMEDOUT');
    expect(await sandbox.deliveries()).toEqual([]);
  });
});

describe('--latency', () => {
  it('delays every API call and PUT by at least the given time', async () => {
    const sandbox = await sandboxWith({ latencyMs: 300 });
    let started = Date.now();
    const url = await lexerUrl(sandbox, NAME);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    started = Date.now();
    expect((await put(url, 'x')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe('--url-ttl', () => {
  it('makes presigned URLs expire after the given seconds', async () => {
    // X-Amz-Date has whole seconds, so a URL can lose up to a second of its life at birth.
    const sandbox = await sandboxWith({ urlTtlSeconds: 2 });
    const fresh = await lexerUrl(sandbox, NAME);
    expect((await put(fresh, 'in time')).status).toBe(200);
    const stale = await lexerUrl(sandbox, NAME);
    await new Promise((resolve) => setTimeout(resolve, 3100));
    const answer = await put(stale, 'too late');
    expect(answer.status).toBe(403);
    expect(s3ErrorMessage(answer.body)).toBe('Request has expired');
  });
});
