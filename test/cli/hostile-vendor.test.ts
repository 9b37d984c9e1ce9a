import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ferry } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

/** `ferry upload` against a vendor that answers to harm the person reading the terminal. */
const tempDir = useTempDir('hostile-vendor');
const TOKEN = 'hostile-test-token-0123456789';
let server: Server | undefined;

afterEach(async () => {
  const s = server;
  server = undefined;
  if (s === undefined) return;
  s.closeAllConnections();
  await new Promise((resolve) => s.close(resolve));
});

async function vendor(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * One delivery of a small file to the vendor, given up after `attempts` failed attempts (by
 * default the first: a retry would say the same), with the log on stderr too; all it printed.
 */
async function upload(endpoint: string, attempts = 1): Promise<{ code: number | null; output: string }> {
  const dir = await tempDir();
  const file = join(dir, 'orders-2024-06-12-v1.csv');
  await writeFile(file, 'id\n1\n');
  const config = join(dir, 'ferry.json');
  await writeFile(
    config,
    JSON.stringify({
      targets: { vendor: { profile: 'lexer', endpoint: `${endpoint}/v1/uploads`, retry: { attempts } } },
      folders: [{ path: dir, target: 'vendor' }],
    }),
  );
  const run = ferry(['upload', file, '--config', config, '--state-dir', join(dir, 'state')], {
    FERRY_TOKEN: TOKEN,
    FERRY_LOG_LEVEL: 'info',
  });
  return { code: await run.exited, output: run.output() };
}

// eslint-disable-next-line no-control-regex -- the characters the test looks for
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('a vendor that answers with terminal control sequences', () => {
  it('has every one of them escaped in what ferry upload prints and logs', async () => {
    const endpoint = await vendor((_req, res) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('\u001b[2J\u001b[31mdenied\u001b[0m\u001b]0;pwned\u0007 \u009b2J');
    });
    const { code, output } = await upload(endpoint);
    expect(code).toBe(1);
    expect(output).toContain('denied');
    expect(output).not.toMatch(CONTROL);
  });

  it('refuses an id that holds them, and says so without them', async () => {
    const endpoint = await vendor((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // The PUT goes to this server too, and is taken.
      if (req.method === 'PUT') res.end();
      else
        res.end(
          JSON.stringify({ id: '\u001b]0;pwned\u0007\u001b[2J', url: `http://${req.headers.host}/put` }),
        );
    });
    const { output } = await upload(endpoint);
    expect(output).toContain('no usable id');
    expect(output).not.toMatch(CONTROL);
  });
});

describe('a vendor that answers at length (issue #16, finding 6)', () => {
  it('is quoted in a short excerpt: a 900 KiB URL in the retry line and the failure', async () => {
    const endpoint = await vendor((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 1, url: 'x'.repeat(900 * 1024) }));
    });
    const { code, output } = await upload(endpoint, 2);
    expect(code).toBe(1);
    expect(output).toMatch(
      /retry 1 in \d+s: the upload-URL request answered HTTP 200 with an unusable upload URL/,
    );
    for (const line of output.split('\n')) expect(line.length).toBeLessThan(1_000);
  });

  it('is read no further than 1 MiB, and the failure says so', async () => {
    const endpoint = await vendor((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let sent = 0;
      const more = () => {
        while (sent < 400 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('close', () => res.off('drain', more));
      more();
    });
    const { code, output } = await upload(endpoint);
    expect(code).toBe(1);
    expect(output).toContain('was larger than 1 MiB, more than any answer Ferry reads: it was cut off there');
  });
});
