import type { Http, HttpRequest, HttpResponse } from '../../src/engine/ports.js';

/** One request as the fake server saw it, with the means to answer it. */
export interface Exchange {
  readonly index: number;
  readonly method: HttpRequest['method'];
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** A string body as sent; undefined for streamed bodies (see `received`). */
  readonly text: string | undefined;
  /** The declared length of a streamed body. */
  readonly length: number | undefined;
  readonly signal: AbortSignal;
  /** Reads up to `limit` bytes of the streamed body (all by default), reporting upload progress. */
  receive(limit?: number): Promise<Uint8Array>;
  /** Never answers; rejects when the request is aborted (a stalled connection). */
  hang(): Promise<never>;
}

export type Handler = (exchange: Exchange) => HttpResponse | Promise<HttpResponse>;

export function json(status: number, value: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

export function text(status: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers, body };
}

export function networkError(code: string): Error {
  return Object.assign(new Error(`socket hang up (${code})`), { code });
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** An HTTP client whose server is a function: every exchange is recorded for assertions. */
export class FakeHttp implements Http {
  readonly exchanges: Exchange[] = [];
  /** Bodies fully or partly received, by exchange index. */
  readonly received = new Map<number, Uint8Array>();

  constructor(private readonly handler: Handler) {}

  async request(request: HttpRequest): Promise<HttpResponse> {
    if (request.signal.aborted) throw request.signal.reason as Error;
    const index = this.exchanges.length;
    const { body } = request;
    const stream = typeof body === 'object' ? body.stream[Symbol.asyncIterator]() : undefined;
    const chunks: Uint8Array[] = [];
    let sent = 0;
    const exchange: Exchange = {
      index,
      method: request.method,
      url: request.url,
      headers: request.headers,
      text: typeof body === 'string' ? body : undefined,
      length: typeof body === 'object' ? body.length : undefined,
      signal: request.signal,
      receive: async (limit = Number.POSITIVE_INFINITY) => {
        while (stream !== undefined && sent < limit) {
          if (request.signal.aborted) throw request.signal.reason as Error;
          const next = await stream.next();
          if (next.done === true) break;
          chunks.push(next.value);
          sent += next.value.byteLength;
          this.received.set(index, concat(chunks));
          request.onUploadProgress?.(sent);
        }
        return concat(chunks);
      },
      hang: () =>
        new Promise<never>((_, reject) => {
          if (request.signal.aborted) reject(request.signal.reason as Error);
          request.signal.addEventListener(
            'abort',
            () => {
              reject(request.signal.reason as Error);
            },
            { once: true },
          );
        }),
    };
    this.exchanges.push(exchange);
    const response = await this.handler(exchange);
    request.signal.throwIfAborted();
    return response;
  }

  ofMethod(method: HttpRequest['method']): Exchange[] {
    return this.exchanges.filter((e) => e.method === method);
  }
}
