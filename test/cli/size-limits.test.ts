import { mkdir, open, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { SINGLE_PUT_LIMIT } from '../../src/shared/config.js';
import { ferry, ferryRun } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * A file over a target's limit is refused before any request, with the way out; the form API's
 * file_size_limit is such a limit, measured before a byte of the form is sent.
 */
let sandbox: RunningSandbox;
/** In front of the sandbox: counts every request Ferry makes. */
let counter: Server;
let counted = 0;
let endpoint = '';
const tempDir = useTempDir('size-limits');

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, log: () => undefined });
  const upstream = new URL(sandbox.endpoint);
  counter = createServer((req, res) => {
    counted += 1;
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => counter.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(counter.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => counter.close(resolve));
  await sandbox.close();
});

const WAY_OUT =
  'compress it (a folder\'s "compress": "gzip" sends it gzipped), split it into smaller files, or send it to a target with the s3-multipart profile';

describe('size limits', () => {
  it('refuses a file over 5 GiB before any request, saying how to send it instead', async () => {
    const file = join(await tempDir(), 'big-2024-06-12-v1.csv');
    // Sparse: the size is real to stat, the disk holds nothing.
    const handle = await open(file, 'w');
    await handle.truncate(SINGLE_PUT_LIMIT + 1);
    await handle.close();
    counted = 0;
    const run = await ferryRun(
      ['upload', file, '--endpoint', `${endpoint}/v1/uploads`, '--profile', 'lexer'],
      {
        FERRY_TOKEN: sandbox.token,
      },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `the file is ${SINGLE_PUT_LIMIT + 1} bytes; target 'default' accepts at most ${SINGLE_PUT_LIMIT} bytes: ${WAY_OUT}`,
    );
    expect(counted).toBe(0);
  });

  it("refuses a file over the form's file_size_limit before sending a byte of it", async () => {
    const dir = await tempDir();
    const file = join(dir, 'customers-2024-06-12-v1.csv');
    await writeFile(file, `id,payload\n1,${'x'.repeat(500)}\n`);
    const args = ['upload', file, '--endpoint', `${endpoint}/api/v1/file/new`, '--profile', 'form'];
    counted = 0;
    const run = await ferryRun([...args, '--field', 'file_size_limit=100'], { FERRY_TOKEN: sandbox.token });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "the file is 514 B; the folder's file_size_limit is 100 bytes, and target 'default' refuses larger files: raise file_size_limit in the folder's fields",
    );
    expect(counted).toBe(0);

    const fits = await ferryRun([...args, '--field', 'file_size_limit=1000'], { FERRY_TOKEN: sandbox.token });
    expect(fits.code).toBe(0);
    expect(counted).toBeGreaterThan(0);

    const bad = await ferryRun([...args, '--field', 'file_size_limit=1 MB'], { FERRY_TOKEN: sandbox.token });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('folders[0].fields.file_size_limit: must be a whole number of bytes');
  });

  it("delivers a file over the limit that fits once the folder's compress: gzip has made it smaller", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'out'));
    const config = join(dir, 'ferry.json');
    await writeFile(
      config,
      JSON.stringify({
        targets: { lexer: { profile: 'lexer', endpoint: `${endpoint}/v1/uploads`, maxBytes: 4096 } },
        folders: [{ path: 'out', target: 'lexer', compress: 'gzip', loading: 'manual' }],
      }),
    );
    const rows = Array.from({ length: 800 }, (_, i) => `${i},same text on every line`).join('\n');
    await writeFile(join(dir, 'out', 'repeats-2024-06-12-v1.csv'), `id,text\n${rows}\n`);
    const run = ferry(
      ['watch', '--config', config, '--once', '--settle', '0.3', '--state-dir', join(dir, 'state')],
      {
        FERRY_TOKEN: sandbox.token,
      },
    );
    expect(await run.exited, run.output()).toBe(0);
    expect((await sandbox.deliveries()).map((d) => d.filename)).toContain('repeats-2024-06-12-v1.csv.gz');
  });
});
