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
