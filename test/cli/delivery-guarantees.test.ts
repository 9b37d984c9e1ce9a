import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { SINGLE_PUT_LIMIT } from '../../src/shared/config.js';
import { ferry } from '../support/ferry-cli.js';

const NAME = 'customers-2024-01-31-v1.csv';

let dir = '';
let server: Server | undefined;
let sandbox: RunningSandbox | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-guarantees-'));
});

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
  server?.closeAllConnections();
  await new Promise<void>((resolve) => {
    if (server === undefined) resolve();
    else
      server.close(() => {
        resolve();
      });
  });
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** A vendor that answers every request with `body` (200): how many requests it saw is kept. */
async function vendorAnswering(
  body: string,
  type: string,
): Promise<{ endpoint: string; requests: () => number }> {
  let requests = 0;
  server = createServer((req, res) => {
    requests += 1;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { endpoint: `http://127.0.0.1:${port}/v1/uploads`, requests: () => requests };
}

async function upload(endpoint: string, file: string, attempts: number) {
  const config = join(dir, 'ferry.json');
  await writeFile(
    config,
    JSON.stringify({
      targets: { vendor: { profile: 'lexer', endpoint, retry: { attempts } } },
      folders: [],
    }),
  );
  const run = ferry(['upload', '--config', config, '--target', 'vendor', file], {
    FERRY_TOKEN: 'tok-guarantees-0123456789',
  });
  return { code: await run.exited, output: run.output() };
}

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('what every delivery guarantees', () => {
  it.each([
    [
      'an HTML page',
      '<!doctype html><html><body>Sign in to the Wi-Fi</body></html>',
      'text/html',
      'an HTML or XML page instead of JSON',
    ],
    ['garbage', '\u0000\u0001 not json {', 'application/json', 'a body that is not JSON'],
    ['JSON without a URL', '{"id": 5, "link": "nope"}', 'application/json', "no URL at 'url'"],
  ])(
    'retries %s from the vendor, then fails saying what was wrong',
    async (_what, body, type, reason) => {
      const vendor = await vendorAnswering(body, type);
      const file = join(dir, NAME);
      await writeFile(file, 'id\n1\n');
      const { code, output } = await upload(vendor.endpoint, file, 3);
      expect(code).toBe(1);
      expect(vendor.requests()).toBe(3);
      expect(output).toContain('gave up after 3 attempts without progress');
      expect(output).toContain(reason);
    },
    30_000,
  );

  it('refuses a file of 5 GiB + 1 byte before sending any request', async () => {
    const vendor = await vendorAnswering('{}', 'application/json');
    const file = join(dir, NAME);
    // Sparse: the size is real to stat, the disk holds nothing.
    const handle = await open(file, 'w');
    await handle.truncate(SINGLE_PUT_LIMIT + 1);
    await handle.close();
    const { code, output } = await upload(vendor.endpoint, file, 3);
    expect(code).toBe(1);
    expect(output).toContain('accepts at most 5');
    expect(vendor.requests()).toBe(0);
  });

  it('keeps the token out of the log and out of every file of the state dir', async () => {
    sandbox = await startSandbox({ port: 0, log: () => undefined });
    const folder = join(dir, 'out');
    await mkdir(folder);
    await writeFile(join(folder, NAME), 'id\n1\n');
    const big = join(dir, 'big-2024-01-31-v1.csv');
    await writeFile(big, `id,payload\n1,${randomBytes(3 * 1024 * 1024).toString('hex')}\n`);
    const stateDir = join(dir, 'state');
    const env = { FERRY_TOKEN: sandbox.token, FERRY_LOG_LEVEL: 'debug' };
    const once = ferry(
      [
        'watch',
        folder,
        '--once',
        '--settle',
        '0.2',
        '--endpoint',
        `${sandbox.endpoint}/v1/uploads`,
        '--profile',
        'lexer',
        '--state-dir',
        stateDir,
      ],
      env,
    );
    expect(await once.exited, once.output()).toBe(0);
    const multipart = ferry(
      [
        'upload',
        big,
        '--endpoint',
        `${sandbox.endpoint}/v1/multipart`,
        '--profile',
        's3-multipart',
        '--state-dir',
        stateDir,
      ],
      env,
    );
    expect(await multipart.exited).toBe(0);
    expect(await sandbox.deliveries()).toHaveLength(2);

    const files = await filesUnder(stateDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(await readFile(file, 'utf8'), file).not.toContain(sandbox.token);
    }
    expect(once.output() + multipart.output()).not.toContain(sandbox.token);
  }, 60_000);
});
