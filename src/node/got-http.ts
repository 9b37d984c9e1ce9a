import type { IncomingMessage } from 'node:http';
import got, { type CancelableRequest, type Response } from 'got';
import { DeliveryError } from '../engine/delivery-error.js';
import type { Http, HttpRequest, HttpResponse } from '../engine/ports.js';
import type { proxyAgentCache } from './proxy-agents.js';
import { proxyFor, type ProxySettings } from './proxy-settings.js';

export interface GotHttpOptions {
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

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * The most of an answer Ferry reads. Every answer it reads is a short JSON document or an error
 * page; past this a vendor is broken or hostile, and reading on would take all the memory
 * there is (a 400 MiB answer took the process to 1.3 GB).
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;

function answerTooLarge(url: string, status: number | undefined): DeliveryError {
  return new DeliveryError(
    'bad-answer',
    `the answer from ${new URL(url).host} was larger than 1 MiB, more than any answer Ferry reads: it was cut off there`,
    status === undefined ? {} : { status },
  );
}

interface AnswerCap {
  /** The answer was cut off past MAX_ANSWER_BYTES. */
  readonly cut: boolean;
  readonly status: number | undefined;
}

/** Cuts `pending` off past MAX_ANSWER_BYTES: when announced, before a byte is read; else as it arrives. */
function capAnswer(pending: CancelableRequest<Response<string>>): AnswerCap {
  const cap = { cut: false, status: undefined as number | undefined };
  const cutOff = () => {
    cap.cut = true;
    pending.cancel();
  };
  // got tells of its own 'response' once the body is read; the socket's comes with the headers.
  void pending.on('request', (clientRequest) => {
    clientRequest.once('response', (response: IncomingMessage) => {
      cap.status = response.statusCode;
      if (Number(response.headers['content-length']) > MAX_ANSWER_BYTES) cutOff();
    });
  });
  void pending.on('downloadProgress', ({ transferred }) => {
    if (transferred > MAX_ANSWER_BYTES && !cap.cut) cutOff();
  });
  return cap;
}

/** How long to wait for `100 Continue` before sending anyway, as curl does for servers that never send it. */
const CONTINUE_WAIT_MS = 1_000;

function expectsContinue(request: HttpRequest): boolean {
  return request.headers.expect?.toLowerCase() === '100-continue';
}

/**
 * The body as a generator got pulls from, one chunk at a time: got asks for the next chunk
 * only once the socket has taken the last, so a reader may lend the same buffers again
 * (Files.read does). With `Expect: 100-continue` nothing is sent until the server says go,
 * so a refusal (an expired or tampered presigned URL) costs one round trip instead of the
 * whole file.
 */
function bodyOf(
  request: HttpRequest,
  goAhead: Promise<boolean> | undefined,
): string | AsyncGenerator<Uint8Array> | undefined {
  const { body } = request;
  if (body === undefined || typeof body === 'string') return body;
  const pulled = async function* (): AsyncGenerator<Uint8Array> {
    if (goAhead === undefined || (await goAhead)) yield* body.stream;
  };
  return pulled();
}

/**
 * Upload progress is passed on at most this often, and once more when the request ends:
 * got reports every chunk written to the socket, and every report costs the engine a rate
 * sample, a job update and a stall-guard touch. Far below the engine's own display rate.
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
 * The Http port over got. Answers with every HTTP status (the engine classifies), never
 * retries (the engine's policy does), never follows redirects (a redirected PUT would
 * resend a file to a place nobody signed), and rejects only when no answer came.
 */
export function gotHttp(options: GotHttpOptions = {}): Http {
  const connect = options.connectTimeoutMs ?? 30_000;
  // hpagent is loaded with the first request that goes through a proxy: most runs have none.
  let agents: Promise<ReturnType<typeof proxyAgentCache>> | undefined;
  const agentFor = async (proxy: string) => {
    agents ??= import('./proxy-agents.js').then((module) => module.proxyAgentCache());
    return (await agents)(proxy);
  };
  return {
    async request(request: HttpRequest): Promise<HttpResponse> {
      request.signal.throwIfAborted();
      const proxy = options.proxy === undefined ? undefined : proxyFor(new URL(request.url), options.proxy);
      const agent = proxy === undefined ? undefined : await agentFor(proxy);
      let release: (send: boolean) => void = () => undefined;
      const goAhead =
        typeof request.body === 'object' && expectsContinue(request)
          ? new Promise<boolean>((resolve) => {
              const timer = setTimeout(() => {
                resolve(true);
              }, CONTINUE_WAIT_MS);
              release = (send) => {
                clearTimeout(timer);
                resolve(send);
              };
            })
          : undefined;
      const body = bodyOf(request, goAhead);
      const pending = got(request.url, {
        method: request.method,
        headers: request.headers,
        body,
        signal: request.signal,
        throwHttpErrors: false,
        followRedirect: false,
        retry: { limit: 0 },
        responseType: 'text',
        // Bytes on the wire are then the bytes read: 1 MiB of gzip cannot become 1 GiB of text.
        decompress: false,
        timeout: { lookup: connect, connect, secureConnect: connect },
        ...(agent === undefined ? {} : { agent }),
      });
      if (goAhead !== undefined) {
        void pending.on('request', (clientRequest) => {
          clientRequest.once('continue', () => {
            release(true);
          });
          // A final answer before 100 Continue is a refusal: the body must not follow it.
          clientRequest.once('response', () => {
            release(false);
          });
        });
      }
      const answer = capAnswer(pending);
      const { onUploadProgress } = request;
      const progress =
        onUploadProgress === undefined ? undefined : throttledProgress(onUploadProgress, PROGRESS_EVERY_MS);
      if (progress !== undefined) {
        // `on` hands back the same promise, awaited below.
        void pending.on('uploadProgress', ({ transferred }) => {
          if (transferred > 0) progress.update(transferred);
        });
      }
      try {
        const response = await pending;
        return { status: response.statusCode, headers: flatten(response.headers), body: response.body };
      } catch (error) {
        request.signal.throwIfAborted();
        if (answer.cut) throw answerTooLarge(request.url, answer.status);
        throw proxy === undefined ? error : proxyError(error, proxy);
      } finally {
        // What was sent is known exactly when the request ends, answered or failed.
        if (!request.signal.aborted) progress?.flush();
        release(false);
        // Closes the file when got stopped pulling early (an answer or an error mid-body).
        if (typeof body === 'object') body.return(undefined).catch(() => undefined);
      }
    },
  };
}
