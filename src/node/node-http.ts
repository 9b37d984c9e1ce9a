import { request as httpRequest, type Agent, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { DeliveryError } from '../engine/delivery-error.js';
import type { Http, HttpRequest, HttpResponse, StreamBody } from '../engine/ports.js';
import type { proxyAgentCache } from './proxy-agents.js';
import { proxyFor, type ProxySettings } from './proxy-settings.js';

export interface NodeHttpOptions {
  /** DNS, TCP and TLS set-up; stalls after that are the engine's watchdog's business. */
  readonly connectTimeoutMs?: number;
  /** Where requests go through; without it every request connects directly. */
  readonly proxy?: ProxySettings | undefined;
}

/** hpagent's words for a CONNECT the proxy answered with something other than 200. */
const PROXY_REFUSAL = /^Bad response: (\d+)/;

/**
 * A proxy's refusal as the engine understands it: 407 is a configuration problem no retry
 * fixes; anything else (502 when the vendor is unreachable from the proxy) is the network.
 */
function proxyError(error: unknown, proxy: string): unknown {
  const message = error instanceof Error ? error.message : '';
  const status = PROXY_REFUSAL.exec(message)?.[1];
  if (status === undefined) return error;
  const where = new URL(proxy).host;
  if (status === '407') {
    return new DeliveryError(
      'config',
      `the proxy ${where} refused the connection (407 Proxy Authentication Required): give its user and password in the proxy URL`,
      { code: 'EPROXYAUTH' },
    );
  }
  return new DeliveryError('network', `the proxy ${where} could not connect (${status})`, { code: 'EPROXY' });
}

function flatten(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * The most of an answer Ferry reads. Every answer it reads is a short JSON document or an error
 * page; past this a vendor is broken or hostile, and reading on would take all the memory
 * there is (a 400 MiB answer took the process to 1.3 GB).
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;

function answerTooLarge(url: URL, status: number): DeliveryError {
  return new DeliveryError(
    'bad-answer',
    `the answer from ${url.host} was larger than 1 MiB, more than any answer Ferry reads: it was cut off there`,
    { status },
  );
}

/** An error with the code the engine classifies as a network failure worth another attempt. */
function networkError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** How long to wait for `100 Continue` before sending anyway, as curl does for servers that never send it. */
const CONTINUE_WAIT_MS = 1_000;

function expectsContinue(request: HttpRequest): boolean {
  return request.headers.expect?.toLowerCase() === '100-continue';
}

/**
 * Upload progress is passed on at most this often, and once more when the request ends:
 * the socket takes a body chunk by chunk, and every report costs the engine a rate sample,
 * a job update and a stall-guard touch. Far below the engine's own display rate.
 */
const PROGRESS_EVERY_MS = 50;

/** Thins out progress reports to one per `everyMs`; `flush` passes on the last one held back. */
export function throttledProgress(
  report: (sent: number) => void,
  everyMs: number,
  now: () => number = Date.now,
): { readonly update: (sent: number) => void; readonly flush: () => void } {
  let last = Number.NEGATIVE_INFINITY;
  let held: number | undefined;
  return {
    update: (sent) => {
      const at = now();
      if (at - last < everyMs) {
        held = sent;
        return;
      }
      last = at;
      held = undefined;
      report(sent);
    },
    flush: () => {
      if (held === undefined) return;
      const sent = held;
      held = undefined;
      report(sent);
    },
  };
}

/**
 * Fails the request when a new connection (DNS, TCP, TLS) takes longer than `ms`. A kept-alive
 * socket is connected already and gets no timer.
 */
function limitConnectTime(clientRequest: ClientRequest, url: URL, ms: number): void {
  clientRequest.once('socket', (socket: Socket) => {
    if (!socket.connecting) return;
    const timer = setTimeout(() => {
      clientRequest.destroy(
        networkError('ETIMEDOUT', `connecting to ${url.host} took longer than ${ms / 1000} s`),
      );
    }, ms);
    const done = () => {
      clearTimeout(timer);
    };
    socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', done);
    socket.once('close', done);
  });
}

/**
 * Whether to send the body: with `Expect: 100-continue` only once the server says go (or stays
 * silent past a short wait), never after it has answered first. A refusal (an expired or
 * tampered presigned URL) then costs one round trip instead of the whole file.
 */
function goAhead(clientRequest: ClientRequest, waitForContinue: boolean): Promise<boolean> {
  if (!waitForContinue) return Promise.resolve(true);
  clientRequest.flushHeaders();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      decide(true);
    }, CONTINUE_WAIT_MS);
    function decide(send: boolean): void {
      clearTimeout(timer);
      clientRequest.off('continue', go);
      clientRequest.off('response', refused);
      clientRequest.off('close', refused);
      resolve(send);
    }
    const go = () => {
      decide(true);
    };
    const refused = () => {
      decide(false);
    };
    clientRequest.once('continue', go);
    clientRequest.once('response', refused);
    clientRequest.once('close', refused);
  });
}

/** Resolves once the socket has taken `chunk` (not merely queued it), so a lent buffer may be refilled. */
function written(clientRequest: ClientRequest, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    clientRequest.write(chunk, (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

/**
 * Writes a streamed body one chunk at a time: the next chunk is pulled only once the socket has
 * the last, so a reader may lend the same buffers again (Files.read does). Sends exactly the
 * announced length and ends the request there. Stops pulling, which closes the file, as soon as
 * `ended` settles: an answer came or the request failed.
 */
async function sendBody(
  clientRequest: ClientRequest,
  body: StreamBody,
  ended: Promise<unknown>,
  onSent: ((sent: number) => void) | undefined,
): Promise<void> {
  const over = ended.then(
    () => false,
    () => false,
  );
  let sent = 0;
  if (body.length > 0) {
    for await (const chunk of body.stream) {
      // Bytes past Content-Length would be read as the start of the next request.
      const part = chunk.length > body.length - sent ? chunk.subarray(0, body.length - sent) : chunk;
      const taken = await Promise.race([written(clientRequest, part).then(() => true), over]);
      if (!taken) return;
      sent += part.length;
      onSent?.(sent);
      if (sent === body.length) break;
    }
  }
  if (sent < body.length) {
    // The file shrank under the upload: the server would wait for the rest until the stall
    // guard gave up. Another attempt starts from what the file is then.
    throw networkError(
      'ERR_STREAM_PREMATURE_CLOSE',
      `the body ended ${body.length - sent} bytes short of the ${body.length} announced`,
    );
  }
  clientRequest.end();
}

/** Reads an answer whole, up to MAX_ANSWER_BYTES: when announced larger, before a byte is read. */
function readAnswer(response: IncomingMessage, url: URL): Promise<HttpResponse> {
  const status = response.statusCode ?? 0;
  return new Promise((resolve, reject) => {
    if (Number(response.headers['content-length']) > MAX_ANSWER_BYTES) {
      response.destroy();
      reject(answerTooLarge(url, status));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_ANSWER_BYTES) {
        response.destroy();
        reject(answerTooLarge(url, status));
        return;
      }
      chunks.push(chunk);
    });
    response.once('end', () => {
      resolve({ status, headers: flatten(response.headers), body: Buffer.concat(chunks).toString('utf8') });
    });
    response.once('error', reject);
    // A connection that closes mid-answer.
    response.once('close', () => {
      if (!response.complete)
        reject(networkError('ECONNRESET', `the connection to ${url.host} closed mid-answer`));
    });
  });
}

/** One exchange: the request out (its body streamed), the answer read whole. */
async function exchange(
  url: URL,
  request: HttpRequest,
  agent: Agent | undefined,
  connectTimeoutMs: number,
): Promise<HttpResponse> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const clientRequest = send(url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    ...(agent === undefined ? {} : { agent }),
  });
  limitConnectTime(clientRequest, url, connectTimeoutMs);
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    clientRequest.once('response', resolve);
    // `on`, not `once`: a request may fail more than once, and an unheard error ends the process.
    clientRequest.on('error', reject);
  });
  const answer = answered.then((response) => readAnswer(response, url));
  const { body } = request;
  const progress =
    request.onUploadProgress === undefined
      ? undefined
      : throttledProgress(request.onUploadProgress, PROGRESS_EVERY_MS);
  if (typeof body === 'object') {
    const sending = goAhead(clientRequest, expectsContinue(request)).then(async (send) => {
      if (send) await sendBody(clientRequest, body, answer, progress?.update);
    });
    // A failed write fails the request; its error comes from the request too.
    sending.catch((error: unknown) => clientRequest.destroy(error instanceof Error ? error : undefined));
  } else {
    clientRequest.end(body);
  }
  try {
    return await answer;
  } finally {
    // What was sent is known exactly when the request ends, answered or failed.
    if (!request.signal.aborted) progress?.flush();
    // An answer before the whole body (a refusal): the connection holds half a request and
    // cannot carry another.
    if (!clientRequest.writableEnded) clientRequest.destroy();
  }
}

/**
 * The Http port over Node's own client. Answers with every HTTP status (the engine classifies),
 * never retries (the engine's policy does), never follows redirects (a redirected PUT would
 * resend a file to a place nobody signed), asks for no compression (1 MiB on the wire is 1 MiB
 * read), and rejects only when no answer came.
 *
 * Why not a client library: for the two small requests a file costs, got's option handling
 * allocated more per request than the rest of the delivery together, and its dependencies set
 * up locale data at load that every run paid for in resident memory (issue #15).
 */
export function nodeHttp(options: NodeHttpOptions = {}): Http {
  const connect = options.connectTimeoutMs ?? 30_000;
  // hpagent is loaded with the first request that goes through a proxy: most runs have none.
  let agents: Promise<ReturnType<typeof proxyAgentCache>> | undefined;
  const agentFor = async (proxy: string, url: URL): Promise<Agent> => {
    agents ??= import('./proxy-agents.js').then((module) => module.proxyAgentCache());
    const pair = (await agents)(proxy);
    return url.protocol === 'https:' ? pair.https : pair.http;
  };
  return {
    async request(request: HttpRequest): Promise<HttpResponse> {
      request.signal.throwIfAborted();
      const url = new URL(request.url);
      const proxy = options.proxy === undefined ? undefined : proxyFor(url, options.proxy);
      try {
        const agent = proxy === undefined ? undefined : await agentFor(proxy, url);
        return await exchange(url, request, agent, connect);
      } catch (error) {
        request.signal.throwIfAborted();
        throw proxy === undefined ? error : proxyError(error, proxy);
      }
    },
  };
}
