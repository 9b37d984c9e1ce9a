import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { AgentService } from '../engine/agent/agent-service.js';
import type { ContractError } from '../shared/contract.js';
import { CONTENT_SECURITY_POLICY } from '../shared/window-security.js';
import { handleContract } from './contract-http.js';
import { sendStaticFile } from './static-files.js';
import { hasBearerToken, isLoopbackHost } from './ui-access.js';
import { discardUpload, isPlainFileName, receiveUpload, UploadTooLarge } from './upload-receiver.js';

export interface UiServerOptions {
  readonly service: AgentService;
  /** The built renderer (dist/renderer). */
  readonly rendererDir: string;
  /** Where files uploaded from the browser are kept for delivery. */
  readonly uploadsDir: string;
  /** The size limit of the target a browser uploads to; undefined when there is no such target. */
  readonly uploadLimit: (target: string) => number | undefined;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
}

export interface UiServer {
  /** The address to open, the token in its fragment. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Sent with every answer: the app window's CSP, and nothing that leaks where the page came from. */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

/** An answer that ends the connection: the rest of a refused body is not read. */
const CLOSE = { connection: 'close' };

function answer(
  res: ServerResponse,
  status: number,
  error: ContractError,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, { ...PAGE_HEADERS, ...extra, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(error));
}

/**
 * `ferry watch --ui`: the app window's renderer served on 127.0.0.1, and the
 * contract behind it (HTTP commands, server-sent events), for a machine
 * without a desktop. Every request must name 127.0.0.1 or localhost in Host;
 * every contract request must carry the per-run token as a Bearer header.
 * The page itself holds no secret and is served without it: the token
 * reaches the page in the URL's fragment, which a browser never sends.
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const token = randomBytes(32).toString('base64url');
  const root = resolve(options.rendererDir);
  let port = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isLoopbackHost(req.headers.host, port)) {
      answer(res, 403, {
        kind: 'bad-request',
        message: 'this address answers only to 127.0.0.1 and localhost',
      });
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !isLoopbackHost(origin.replace(/^http:\/\//, ''), port)) {
      answer(res, 403, { kind: 'bad-request', message: 'requests from other sites are refused' });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://ui');
    const isApi =
      url.pathname === '/events' || url.pathname === '/upload' || url.pathname.startsWith('/commands/');
    if (!isApi) {
      if (req.method === 'GET' && (await sendStaticFile(root, url.pathname, res, PAGE_HEADERS))) return;
      answer(res, 404, { kind: 'not-found', message: 'not found' });
      return;
    }
    if (!hasBearerToken(req.headers.authorization, token)) {
      answer(
        res,
        401,
        { kind: 'bad-request', message: 'the access token is missing or wrong' },
        {
          'www-authenticate': 'Bearer',
        },
      );
      return;
    }
    if (url.pathname === '/upload') {
      await upload(req, res, url, options);
      return;
    }
    if (!(await handleContract(options.service, req, res))) {
      answer(res, 404, { kind: 'not-found', message: 'not found' });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else
        answer(res, 500, {
          kind: 'internal',
          message: error instanceof Error ? error.message : String(error),
        });
    });
  });
  await new Promise<void>((done, reject) => {
    server.once('error', reject);
    // Loopback only: the window is for the person at this machine, never the network.
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      done();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => {
          done();
        });
      }),
  };
}

/** `POST /upload?name=<file>&target=<target>`, the file's bytes as the body. */
async function upload(req: IncomingMessage, res: ServerResponse, url: URL, options: UiServerOptions) {
  const name = url.searchParams.get('name') ?? '';
  const target = url.searchParams.get('target') ?? '';
  if (req.method !== 'POST' || !isPlainFileName(name) || target === '') {
    answer(res, 400, { kind: 'bad-request', message: 'POST a file with ?name=<file name>&target=<target>' });
    return;
  }
  // What can be checked is checked before a byte is taken; the connection then closes, so the
  // body the browser is still sending is not read.
  const limit = options.uploadLimit(target);
  if (limit === undefined) {
    answer(res, 400, { kind: 'bad-request', message: `no target named '${target}'` }, CLOSE);
    return;
  }
  const tooLarge: ContractError = {
    kind: 'bad-request',
    message: `the file is larger than target '${target}' accepts (${limit} bytes)`,
  };
  if (Number(req.headers['content-length']) > limit) {
    answer(res, 413, tooLarge, CLOSE);
    return;
  }
  let path: string;
  try {
    path = await receiveUpload(req, options.uploadsDir, name, limit);
  } catch (error) {
    if (!(error instanceof UploadTooLarge)) throw error;
    answer(res, 413, tooLarge, CLOSE);
    return;
  }
  try {
    const job = await options.service.run('files.upload', { path, target });
    res.writeHead(200, { ...PAGE_HEADERS, 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(job));
  } catch (error) {
    // The agent refuses an upload only for what was asked (a target removed meanwhile): the
    // copy is nobody's now.
    await discardUpload(path);
    answer(res, 400, {
      kind: 'bad-request',
      message: error instanceof Error ? error.message : String(error),
    });
  }
}
