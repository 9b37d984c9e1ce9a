import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { classify, DeliveryError } from '../../src/engine/delivery-error.js';
import { nodeHttp } from '../../src/node/node-http.js';

type Route = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

let server: Server | undefined;

async function serve(route: Route, { readBody = true } = {}): Promise<string> {
  server = createServer((req, res) => {
    if (!readBody) {
      route(req, res, Buffer.alloc(0));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      route(req, res, Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

afterEach(async () => {
  const s = server;
  server = undefined;
  if (s === undefined) return;
  s.closeAllConnections();
  await new Promise((resolve) => s.close(resolve));
});

async function* chunks(data: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) {
    await Promise.resolve();
    yield data.subarray(i, i + size);
  }
}

const http = nodeHttp({ connectTimeoutMs: 5_000 });

describe('nodeHttp', () => {
  it('sends a string body with its headers and returns any status without throwing', async () => {
    let seen: { method?: string | undefined; token?: string | undefined; body?: string } = {};
    const base = await serve((req, res, body) => {
      seen = { method: req.method, token: req.headers['auth-api-token'] as string, body: body.toString() };
      res.writeHead(401, { 'Content-Type': 'application/json', 'X-Multi': ['a', 'b'] });
      res.end('{"message":"Invalid token"}');
    });
    const response = await http.request({
      method: 'POST',
      url: `${base}/v1/uploads`,
      headers: { 'auth-api-token': 'tok', 'content-type': 'application/json' },
      body: '{"filename":"a.csv"}',
      signal: new AbortController().signal,
    });
    expect(seen).toEqual({ method: 'POST', token: 'tok', body: '{"filename":"a.csv"}' });
    expect(response.status).toBe(401);
    expect(response.body).toBe('{"message":"Invalid token"}');
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['x-multi']).toBe('a, b');
  });

  it('streams a body with Content-Length (never chunked) and reports upload progress to the end', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    let received: { length: number; contentLength: string | undefined; chunked: boolean } | undefined;
    const base = await serve((req, res, body) => {
      received = {
        length: body.length,
        contentLength: req.headers['content-length'],
        chunked: req.headers['transfer-encoding'] !== undefined,
      };
      res.writeHead(200).end();
    });
    const progress: number[] = [];
    const response = await http.request({
      method: 'PUT',
      url: `${base}/bucket/key?X-Amz-Signature=abc`,
      headers: { 'content-length': String(data.length) },
      body: { stream: chunks(data, 64 * 1024), length: data.length },
      signal: new AbortController().signal,
      onUploadProgress: (sent) => progress.push(sent),
    });
    expect(response.status).toBe(200);
    expect(received).toEqual({ length: data.length, contentLength: String(data.length), chunked: false });
    expect(progress.at(-1)).toBe(data.length);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it('takes the next chunk only once the socket has the last: a reader may lend one buffer again', async () => {
    // One buffer, refilled for every chunk, and a server slow to read: anything pulled ahead
    // of the socket would overwrite bytes still waiting to be sent.
    const chunkBytes = 1024 * 1024;
    const count = 8;
    let received: Buffer | undefined;
    const base = await serve(
      (req, res) => {
        const parts: Buffer[] = [];
        req.pause();
        const drip = setInterval(() => {
          const part = req.read() as Buffer | null;
          if (part !== null) parts.push(part);
        }, 5);
        req.on('end', () => {
          clearInterval(drip);
          received = Buffer.concat(parts);
          res.writeHead(200).end();
        });
      },
      { readBody: false },
    );
    const lent = Buffer.alloc(chunkBytes);
    async function* refilled(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < count; i += 1) {
        await Promise.resolve();
        yield lent.fill(i + 1);
      }
    }
    const response = await http.request({
      method: 'PUT',
      url: `${base}/bucket/key`,
      headers: { 'content-length': String(chunkBytes * count) },
      body: { stream: refilled(), length: chunkBytes * count },
      signal: new AbortController().signal,
    });
    expect(response.status).toBe(200);
    const expected = Buffer.concat(Array.from({ length: count }, (_, i) => Buffer.alloc(chunkBytes, i + 1)));
    expect(received?.equals(expected)).toBe(true);
  });

  it('with Expect: 100-continue, sends no body to a server that refuses first', async () => {
    let bodyBytes = 0;
    server = createServer();
    server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
      req.on('data', (c: Buffer) => (bodyBytes += c.length));
      res.writeHead(403, { 'Content-Type': 'application/xml' });
      res.end('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const data = Buffer.alloc(4 * 1024 * 1024, 3);
    const progress: number[] = [];
    const response = await http.request({
      method: 'PUT',
      url: `http://127.0.0.1:${port}/k`,
      headers: { 'content-length': String(data.length), expect: '100-continue' },
      body: { stream: chunks(data, 64 * 1024), length: data.length },
      signal: new AbortController().signal,
      onUploadProgress: (sent) => progress.push(sent),
    });
    expect(response.status).toBe(403);
    expect(response.body).toContain('Request has expired');
    expect(bodyBytes).toBe(0);
    expect(progress).toEqual([]);
  });

  it('with Expect: 100-continue, sends the whole body once the server says go', async () => {
    let bodyBytes = 0;
    const base = await serve((_req, res, body) => {
      bodyBytes = body.length;
      res.writeHead(200).end();
    });
    const data = Buffer.alloc(1024 * 1024 + 5, 4);
    const response = await http.request({
      method: 'PUT',
      url: `${base}/k`,
      headers: { 'content-length': String(data.length), expect: '100-continue' },
      body: { stream: chunks(data, 64 * 1024), length: data.length },
      signal: new AbortController().signal,
    });
    expect(response.status).toBe(200);
    expect(bodyBytes).toBe(data.length);
  });

  it('with Expect: 100-continue, sends the body anyway to a server that never answers 100', async () => {
    const data = Buffer.alloc(100_000, 5);
    let bodyBytes = 0;
    const raw = createNetServer((socket) => {
      let seen = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        seen = Buffer.concat([seen, chunk]);
        const end = seen.indexOf('\r\n\r\n');
        if (end === -1) return;
        bodyBytes = seen.length - end - 4;
        if (bodyBytes === data.length)
          socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = raw.address() as AddressInfo;
      const response = await http.request({
        method: 'PUT',
        url: `http://127.0.0.1:${port}/k`,
        headers: { 'content-length': String(data.length), expect: '100-continue' },
        body: { stream: chunks(data, 16 * 1024), length: data.length },
        signal: new AbortController().signal,
      });
      expect(response.status).toBe(200);
      expect(bodyBytes).toBe(data.length);
    } finally {
      await new Promise((resolve) => raw.close(resolve));
    }
  });

  it('fails a body that ends short of its Content-Length at once, as a retryable error', async () => {
    const base = await serve((_req, res) => res.writeHead(200).end());
    const data = Buffer.alloc(100_000, 6);
    const error: unknown = await http
      .request({
        method: 'PUT',
        url: `${base}/k`,
        // The file shrank after its size was read: the server would wait for the rest.
        headers: { 'content-length': String(data.length + 10) },
        body: { stream: chunks(data, 16 * 1024), length: data.length + 10 },
        signal: new AbortController().signal,
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
    expect(classify(error)).toBe('retry');
  });

  it('sends no byte past Content-Length, so the connection carries the next request intact', async () => {
    const bodies: string[] = [];
    const base = await serve((_req, res, body) => {
      bodies.push(body.toString());
      res.writeHead(200).end();
    });
    // The file grew after its size was read.
    const grown = Buffer.from('abcdefXYZ');
    const put = await http.request({
      method: 'PUT',
      url: `${base}/k`,
      headers: { 'content-length': '6' },
      body: { stream: chunks(grown, 4), length: 6 },
      signal: new AbortController().signal,
    });
    const post = await http.request({
      method: 'POST',
      url: `${base}/next`,
      headers: {},
      body: '{}',
      signal: new AbortController().signal,
    });
    expect([put.status, post.status]).toEqual([200, 200]);
    expect(bodies).toEqual(['abcdef', '{}']);
  });

  it('does not follow redirects', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(302, { Location: 'http://127.0.0.1:9/elsewhere' }).end();
    });
    const response = await http.request({
      method: 'PUT',
      url: `${base}/x`,
      headers: { 'content-length': '1' },
      body: 'x',
      signal: new AbortController().signal,
    });
    expect(response.status).toBe(302);
  });

  it('rejects with the signal reason when aborted', async () => {
    const base = await serve(() => undefined, { readBody: false });
    const controller = new AbortController();
    const reason = new Error('paused by the user');
    const pending = http.request({
      method: 'POST',
      url: `${base}/hang`,
      headers: {},
      body: '{}',
      signal: controller.signal,
    });
    setTimeout(() => {
      controller.abort(reason);
    }, 50);
    await expect(pending).rejects.toBe(reason);
  });

  it('rejects with a network code a refused connection classifies as retryable', async () => {
    const base = await serve((_req, res) => res.end());
    const url = `${base}/x`;
    const s = server;
    server = undefined;
    await new Promise((resolve) => s?.close(resolve));
    const error: unknown = await http
      .request({ method: 'POST', url, headers: {}, body: '{}', signal: new AbortController().signal })
      .catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
    expect(classify(error)).toBe('retry');
  });

  it('rejects with a retryable network error when the server drops the connection mid-upload', async () => {
    const base = await serve(
      (req) => {
        req.once('data', () => req.socket.destroy());
      },
      { readBody: false },
    );
    const data = Buffer.alloc(8 * 1024 * 1024, 1);
    const error: unknown = await http
      .request({
        method: 'PUT',
        url: `${base}/x`,
        headers: { 'content-length': String(data.length) },
        body: { stream: chunks(data, 64 * 1024), length: data.length },
        signal: new AbortController().signal,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(classify(error)).toBe('retry');
  });
});

describe('nodeHttp, answers past 1 MiB (issue #16, finding 6)', () => {
  const MiB = 1024 * 1024;

  /** Writes `total` bytes of junk as fast as the client takes them; resolves with what went out. */
  function junk(res: ServerResponse, total: number, written: { bytes: number }): void {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const more = () => {
      while (written.bytes < total) {
        written.bytes += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', more);
          return;
        }
      }
      res.end();
    };
    res.on('close', () => res.off('drain', more));
    more();
  }

  const ask = (url: string) =>
    http.request({ method: 'POST', url, headers: {}, body: '{}', signal: new AbortController().signal });

  it('stops reading an endless answer at 1 MiB, with a clear error: memory stays flat', async () => {
    const written = { bytes: 0 };
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      junk(res, 400 * MiB, written);
    });
    const error: unknown = await ask(`${base}/v1/uploads`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({
      kind: 'bad-answer',
      status: 200,
      message: `the answer from ${new URL(base).host} was larger than 1 MiB, more than any answer Ferry reads: it was cut off there`,
    });
    // What the sockets' buffers hold beyond the cut, not the 400 MiB the server had to send.
    expect(written.bytes).toBeLessThan(16 * MiB);
  });

  it('refuses an answer that announces more than 1 MiB before reading it', async () => {
    const written = { bytes: 0 };
    const base = await serve((_req, res) => {
      res.writeHead(400, { 'content-length': String(400 * MiB) });
      junk(res, 400 * MiB, written);
    });
    await expect(ask(`${base}/x`)).rejects.toMatchObject({ kind: 'bad-answer', status: 400 });
    expect(written.bytes).toBeLessThan(16 * MiB);
  });

  it('reads an answer of just under 1 MiB whole', async () => {
    const body = `{"url":"${'x'.repeat(MiB - 100)}"}`;
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    expect((await ask(`${base}/x`)).body).toBe(body);
  });

  it('asks for no compression, so 1 MiB on the wire is 1 MiB read (no zip bomb)', async () => {
    let encoding: string | undefined;
    const base = await serve((req, res) => {
      encoding = req.headers['accept-encoding'];
      res.end('{}');
    });
    await ask(`${base}/x`);
    expect(encoding ?? 'identity').toBe('identity');
  });
});
