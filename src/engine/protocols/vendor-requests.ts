import { withRequestCredentials } from '../echoed-credentials.js';
import { FileChanged, type Attempt } from '../pacer.js';
import type { ByteRange, HttpRequest, HttpResponse } from '../ports.js';
import { withStallGuard } from '../stall-guard.js';
import { exactly } from './exact-length.js';
import type { Upload } from './protocol.js';

/** What a request to the vendor needs of the upload it belongs to. */
export type RequestContext = Pick<Upload, 'ports' | 'stallMs' | 'signal'>;

/**
 * One request without a file body, under the stall guard. Any HTTP answer resolves it, told
 * the request's credentials, which nothing may quote of it.
 */
export async function request(
  context: RequestContext,
  call: Omit<HttpRequest, 'signal'>,
): Promise<HttpResponse> {
  const { clock, http } = context.ports;
  const response = await withStallGuard(clock, context.stallMs, context.signal, (signal) =>
    http.request({ ...call, signal }),
  );
  return withRequestCredentials(response, call.headers);
}

export interface FileBody {
  /** Only these bytes of the file (one multipart part); the whole file by default. */
  readonly range?: ByteRange;
  /** Bytes of the request body before the file's own (a form's fields): progress counts file bytes. */
  readonly offset?: () => number;
  /** File bytes of this request the vendor has acknowledged so far. */
  readonly onSent?: (sent: number) => void;
}

/**
 * Past this size a body waits for `100 Continue`, as curl's does past 1 MiB: a refusal (an
 * expired URL, a bad token) is then answered before the body goes out. A smaller body costs less
 * to send than the wait, which is a round trip and a server event per file (issue #15: 1,000
 * files of 10 KiB, 3 alternating pairs, 0.2–1.2 s less of ~18 s without it).
 */
export const CONTINUE_ABOVE_BYTES = 1024 * 1024;

/** `expect: 100-continue` for a body worth holding back until the server says go; nothing otherwise. */
export function continueFor(length: number): { readonly expect?: '100-continue' } {
  return length > CONTINUE_ABOVE_BYTES ? { expect: '100-continue' } : {};
}

/**
 * Sends the file's bytes (streamed, exactly as many as announced) in the request `build` makes
 * around them, under the stall guard, keeping `attempt.sent` in file bytes. A file that shrinks
 * while it is read throws FileChanged: the upload is stale, not failed.
 */
export async function sendFile(
  upload: RequestContext & Pick<Upload, 'path' | 'size'>,
  attempt: Attempt,
  build: (body: AsyncIterable<Uint8Array>) => Omit<HttpRequest, 'signal' | 'onUploadProgress'>,
  body: FileBody = {},
): Promise<HttpResponse> {
  const { clock, files, http } = upload.ports;
  const length = body.range === undefined ? upload.size : body.range.end - body.range.start;
  const file = { shrank: false };
  let headers: Readonly<Record<string, string>> = {};
  try {
    const response = await withStallGuard(clock, upload.stallMs, upload.signal, (signal, touch) => {
      const call = build(
        exactly(files.read(upload.path, signal, body.range), length, () => {
          file.shrank = true;
        }),
      );
      headers = call.headers;
      return http.request({
        ...call,
        signal,
        onUploadProgress: (bodySent) => {
          touch();
          const sent = Math.min(length, Math.max(0, bodySent - (body.offset?.() ?? 0)));
          attempt.sent = sent;
          body.onSent?.(sent);
        },
      });
    });
    if (file.shrank) throw new FileChanged('the file shrank while it was sent');
    return withRequestCredentials(response, headers);
  } catch (error) {
    // However the adapter reports a body that ended early, the cause is the file.
    if (file.shrank && !upload.signal.aborted) throw new FileChanged('the file shrank while it was sent');
    throw error;
  }
}
