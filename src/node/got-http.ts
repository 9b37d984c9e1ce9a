import { Readable } from 'node:stream';
import got from 'got';
import { DeliveryError } from '../engine/delivery-error.js';
import type { Http, HttpRequest, HttpResponse } from '../engine/ports.js';
import { proxyAgentCache } from './proxy-agents.js';
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

/** How long to wait for `100 Continue` before sending anyway, as curl does for servers that never send it. */
const CONTINUE_WAIT_MS = 1_000;

function expectsContinue(request: HttpRequest): boolean {
  return request.headers.expect?.toLowerCase() === '100-continue';
}

/**
 * The body as a pull stream: backpressure keeps about one chunk in memory. With
 * `Expect: 100-continue` nothing is sent until the server says go, so a refusal (an
 * expired or tampered presigned URL) costs one round trip instead of the whole file.
 */
function bodyOf(request: HttpRequest, goAhead: Promise<boolean> | undefined): string | Readable | undefined {
  const { body } = request;
  if (body === undefined || typeof body === 'string') return body;
  if (goAhead === undefined) return Readable.from(body.stream, { objectMode: false });
  const gated = async function* (): AsyncGenerator<Uint8Array> {
    if (await goAhead) yield* body.stream;
  };
  return Readable.from(gated(), { objectMode: false });
}

/**
 * The Http port over got. Answers with every HTTP status (the engine classifies), never
 * retries (the engine's policy does), never follows redirects (a redirected PUT would
 * resend a file to a place nobody signed), and rejects only when no answer came.
 */
export function gotHttp(options: GotHttpOptions = {}): Http {
  const connect = options.connectTimeoutMs ?? 30_000;
  const agents = proxyAgentCache();
  return {
    async request(request: HttpRequest): Promise<HttpResponse> {
      request.signal.throwIfAborted();
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
      const proxy = options.proxy === undefined ? undefined : proxyFor(new URL(request.url), options.proxy);
      const pending = got(request.url, {
        method: request.method,
        headers: request.headers,
        body,
        signal: request.signal,
        throwHttpErrors: false,
        followRedirect: false,
        retry: { limit: 0 },
        responseType: 'text',
        timeout: { lookup: connect, connect, secureConnect: connect },
        ...(proxy === undefined ? {} : { agent: agents(proxy) }),
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
      const { onUploadProgress } = request;
      if (onUploadProgress !== undefined) {
        // `on` hands back the same promise, awaited below.
        void pending.on('uploadProgress', (progress) => {
          if (progress.transferred > 0) onUploadProgress(progress.transferred);
        });
      }
      try {
        const response = await pending;
        return { status: response.statusCode, headers: flatten(response.headers), body: response.body };
      } catch (error) {
        request.signal.throwIfAborted();
        throw proxy === undefined ? error : proxyError(error, proxy);
      } finally {
        release(false);
        if (typeof body === 'object') body.destroy();
      }
    },
  };
}
