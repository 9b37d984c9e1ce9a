import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentService } from '../../src/engine/agent/agent-service.js';
import { startUiServer, type UiServer } from '../../src/node/ui-server.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * `POST /upload` of the window server checks what it can before it takes a byte, takes no more
 * than the target accepts, and keeps nothing it then refuses (issue #16, finding 7).
 */
const tempDir = useTempDir('ui-upload');
const LIMIT = 1024;
let server: UiServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An agent that knows the target `vendor` alone, whose files may be up to LIMIT bytes. */
async function start(options: { refuseAll?: boolean } = {}) {
  const uploadsDir = join(await tempDir(), 'uploads');
  const taken: string[] = [];
  const service = {
    run: (_name: string, args: { path: string; target: string }) => {
      if (options.refuseAll === true || args.target !== 'vendor')
        return Promise.reject(new Error(`no target named '${args.target}'`));
      taken.push(args.path);
      return Promise.resolve({ id: 'job-1', path: args.path });
    },
  } as unknown as AgentService;
  server = await startUiServer({
    service,
    rendererDir: await tempDir(),
    uploadsDir,
    uploadLimit: (target) => (target === 'vendor' ? LIMIT : undefined),
  });
  const token = new URLSearchParams(new URL(server.url).hash.slice(1)).get('token') ?? '';
  return { uploadsDir, taken, token, port: server.port };
}

interface Sent {
  readonly status: number;
  readonly body: string;
}

/** Streams `size` bytes (a multiple of 256) as one upload; `declare` false sends them chunked. */
function send(port: number, token: string, target: string, size: number, declare = true): Promise<Sent> {
  return new Promise((resolve, reject) => {
    let written = 0;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/upload?name=orders-2024-06-12-v1.csv&target=${target}`,
        headers: {
          host: `127.0.0.1:${port}`,
          authorization: `Bearer ${token}`,
          ...(declare ? { 'content-length': String(size) } : {}),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    // The server may answer and close before the whole body is out: that is the point.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    const chunk = Buffer.alloc(256, 'x');
    const more = () => {
      while (written < size) {
        written += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', more);
          return;
        }
      }
      req.end();
    };
    more();
  });
}

async function keptFiles(uploadsDir: string): Promise<string[]> {
  const entries = await readdir(uploadsDir, { recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.endsWith('.csv'));
}

describe('POST /upload', () => {
  it('takes a file within the limit and hands it to the agent', async () => {
    const { uploadsDir, taken, token, port } = await start();
    expect((await send(port, token, 'vendor', 512)).status).toBe(200);
    expect(taken).toHaveLength(1);
    expect(await keptFiles(uploadsDir)).toHaveLength(1);
  });

  it('refuses an unknown target before it takes a byte, and keeps nothing', async () => {
    const { uploadsDir, taken, token, port } = await start();
    const answer = await send(port, token, 'nobody', 512);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ kind: 'bad-request', message: "no target named 'nobody'" });
    expect(taken).toEqual([]);
    expect(await keptFiles(uploadsDir)).toEqual([]);
  });

  it.each([
    ['announced', true],
    ['sent without a length', false],
  ])('refuses a file larger than the target takes (%s), and keeps nothing', async (_how, declare) => {
    const { uploadsDir, taken, token, port } = await start();
    const answer = await send(port, token, 'vendor', 64 * LIMIT, declare);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({
      kind: 'bad-request',
      message: `the file is larger than target 'vendor' accepts (${LIMIT} bytes)`,
    });
    expect(taken).toEqual([]);
    expect(await keptFiles(uploadsDir)).toEqual([]);
  });

  it('deletes the file the agent refuses once it is in (a target removed meanwhile)', async () => {
    const { uploadsDir, token, port } = await start({ refuseAll: true });
    expect((await send(port, token, 'vendor', 512)).status).toBe(400);
    expect(await keptFiles(uploadsDir)).toEqual([]);
  });
});
