import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from './http-client.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const FERRY = join(ROOT, 'bin/ferry.js');

interface StartLine {
  readonly endpoint: string;
  readonly token: string;
  readonly s3: {
    endpoint: string;
    bucket: string;
    accessKeyId: string;
    secretAccessKey: string;
    region: string;
  };
  readonly urlTtlSeconds: number;
}

const children: ChildProcess[] = [];
let workDir: string;

beforeAll(async () => {
  // The command runs from dist/, which `npm test` builds first.
  expect(existsSync(join(ROOT, 'dist/cli/main.js')), 'run `npm run build` before these tests').toBe(true);
  workDir = await mkdtemp(join(tmpdir(), 'ferry-sandbox-cli-'));
});

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** Starts `ferry sandbox <args>` and resolves with its first stdout line. */
async function startCommand(
  args: readonly string[],
): Promise<{ child: ChildProcess; first: string; stderr: () => string }> {
  const child = spawn(process.execPath, [FERRY, 'sandbox', ...args], {
    cwd: workDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const first = await new Promise<string>((resolveLine, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const end = out.indexOf('\n');
      if (end !== -1) resolveLine(out.slice(0, end));
    });
    child.once('exit', (code) => {
      reject(new Error(`ferry sandbox exited (${code}) before printing: ${stderr}`));
    });
  });
  return { child, first, stderr: () => stderr };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolveExit) => {
    if (child.exitCode !== null) resolveExit(child.exitCode);
    else
      child.once('exit', (code) => {
        resolveExit(code);
      });
  });
}

describe('ferry sandbox', () => {
  it('prints one JSON line, serves the seeds’ curl walkthrough, and stops cleanly on SIGTERM', async () => {
    const { child, first } = await startCommand([
      '--json',
      '--token',
      'fixed-demo-token',
      '--url-ttl',
      '120',
    ]);
    const line = JSON.parse(first) as StartLine;
    expect(line.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(line.token).toBe('fixed-demo-token');
    expect(line.urlTtlSeconds).toBe(120);
    expect(line.s3.bucket).toBe('deliveries');
    expect(line.s3.accessKeyId).not.toBe('');
    expect(line.s3.secretAccessKey).not.toBe('');
    expect(line.s3.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const name = 'walkthrough-2024-08-01-v1.json';
    const content = '{"id": 1, "note": "a & b"}\n';
    await writeFile(join(workDir, name), content);
    const script = [
      `url=$(curl -XPOST -H 'Auth-Api-Token:${line.token}' ${line.endpoint}/v1/uploads -H 'Content-type: application/json' -d '{"filename": "${name}"}' | jq -r .url)`,
      `curl -XPUT "\${url}" --upload-file ${name}`,
    ].join('\n');
    await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: workDir });
    const listed = await rawRequest(`${line.endpoint}/sandbox/deliveries`, {
      headers: { 'auth-api-token': line.token },
    });
    expect(JSON.parse(listed.body)).toMatchObject({
      deliveries: [
        { filename: name, size: content.length, sha256: createHash('sha256').update(content).digest('hex') },
      ],
    });

    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
    await expect(rawRequest(`${line.endpoint}/sandbox/deliveries`)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('prints a readable report without --json and stops on SIGINT', async () => {
    const { child, first } = await startCommand([]);
    expect(first).toMatch(/^Ferry sandbox listening on http:\/\/127\.0\.0\.1:\d+$/);
    child.kill('SIGINT');
    expect(await exitOf(child)).toBe(0);
  });

  it('keeps deliveries across a restart with --data-dir', async () => {
    const dataDir = join(workDir, 'data');
    const one = await startCommand(['--json', '--data-dir', dataDir, '--token', 'keep']);
    const line = JSON.parse(one.first) as StartLine;
    const answer = await rawRequest(`${line.endpoint}/v1/uploads`, {
      method: 'POST',
      headers: { 'auth-api-token': 'keep' },
      body: JSON.stringify({ filename: 'kept-2024-08-01-v1.csv' }),
    });
    const { url } = JSON.parse(answer.body) as { url: string };
    expect((await rawRequest(url, { method: 'PUT', body: 'a,b\n1,2\n' })).status).toBe(200);
    one.child.kill('SIGINT');
    expect(await exitOf(one.child)).toBe(0);

    const two = await startCommand(['--json', '--data-dir', dataDir, '--token', 'keep']);
    const again = JSON.parse(two.first) as StartLine;
    const listed = await rawRequest(`${again.endpoint}/sandbox/deliveries`, {
      headers: { 'auth-api-token': 'keep' },
    });
    expect(JSON.parse(listed.body)).toMatchObject({
      deliveries: [{ filename: 'kept-2024-08-01-v1.csv', size: 8 }],
    });
    two.child.kill('SIGTERM');
    expect(await exitOf(two.child)).toBe(0);
  });

  it('turns --rate-limit into 429 with Retry-After', async () => {
    const { child, first } = await startCommand(['--json', '--rate-limit', '1']);
    const line = JSON.parse(first) as StartLine;
    const ask = () =>
      rawRequest(`${line.endpoint}/v1/uploads`, {
        method: 'POST',
        headers: { 'auth-api-token': line.token },
        body: JSON.stringify({ filename: 'limited-2024-08-01-v1.csv' }),
      });
    expect((await ask()).status).toBe(200);
    const limited = await ask();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    child.kill('SIGTERM');
    await exitOf(child);
  });

  it('turns --fail-rate 1 into a failure on every API call', async () => {
    const { child, first } = await startCommand(['--json', '--fail-rate', '1']);
    const line = JSON.parse(first) as StartLine;
    for (let i = 0; i < 6; i++) {
      const outcome = await rawRequest(`${line.endpoint}/v1/uploads`, {
        method: 'POST',
        headers: { 'auth-api-token': line.token },
        body: JSON.stringify({ filename: 'failing-2024-08-01-v1.csv' }),
      }).then(
        (answer) => answer.status,
        (error: unknown) => (error as NodeJS.ErrnoException).code,
      );
      expect([500, 503, 'ECONNRESET']).toContain(outcome);
    }
    child.kill('SIGTERM');
    await exitOf(child);
  });

  it('turns --latency into a delay and --stall-rate 1 into calls that never answer', async () => {
    const slow = await startCommand(['--json', '--latency', '400']);
    const slowLine = JSON.parse(slow.first) as StartLine;
    const started = Date.now();
    const answer = await rawRequest(`${slowLine.endpoint}/analytics/files/nope`, {
      headers: { 'auth-api-token': slowLine.token },
    });
    expect(answer.status).toBe(404);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    slow.child.kill('SIGTERM');

    const stalled = await startCommand(['--json', '--stall-rate', '1']);
    const stalledLine = JSON.parse(stalled.first) as StartLine;
    const outcome = await rawRequest(`${stalledLine.endpoint}/api/v1/files`, {
      headers: { authorization: `Bearer ${stalledLine.token}` },
      timeoutMs: 800,
    }).then(
      (reply) => reply.status,
      (error: unknown) => (error as NodeJS.ErrnoException).code,
    );
    expect(outcome).toBe('ETIMEDOUT');
    stalled.child.kill('SIGTERM');
    expect(await exitOf(stalled.child)).toBe(0);
    await exitOf(slow.child);
  });

  it('rejects bad flags with exit code 2 and a message', async () => {
    for (const args of [
      ['--fail-rate', '2'],
      ['--port', 'abc'],
      ['--url-ttl', '0'],
      ['--rate-limit', '-1'],
    ]) {
      const failure = await run(process.execPath, [FERRY, 'sandbox', ...args]).then(
        () => undefined,
        (error: unknown) => error as { code: number; stderr: string },
      );
      expect(failure?.code, args.join(' ')).toBe(2);
      expect(failure?.stderr, args.join(' ')).toContain(args[0]);
    }
  });
});
