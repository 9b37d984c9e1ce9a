/**
 * The engine's view of the world. Every effect goes through one of these; Node adapters
 * live in src/node, in-memory fakes in test/fakes. Every async port takes an AbortSignal
 * because pausing a job is an abort.
 */

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with `signal.reason` as soon as the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface FileInfo {
  readonly size: number;
  readonly mtimeMs: number;
}

export interface Files {
  /** Rejects with an error whose `code` is the errno name (ENOENT…) when the file cannot be read. */
  stat(path: string): Promise<FileInfo>;
  /**
   * The file's bytes in chunks, read lazily: memory must not grow with the file. With a range,
   * only the bytes from `start` up to (not including) `end`: one multipart part.
   *
   * Chunks are lent: one is valid only until the next is asked for, when the reader may fill
   * its buffer again. A consumer hands a chunk on (to a socket) before pulling the next, or
   * copies what it keeps.
   */
  read(path: string, signal: AbortSignal, range?: ByteRange): AsyncIterable<Uint8Array>;
}

/** A slice of a file: `start` inclusive, `end` exclusive. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A streamed body of known length: presigned PUTs need Content-Length, never chunked encoding. */
export interface StreamBody {
  readonly stream: AsyncIterable<Uint8Array>;
  readonly length: number;
}

export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: string;
  /**
   * Header names in lower case. `expect: 100-continue` with a streamed body asks the adapter
   * to hold the body until the server's 100 Continue (or a short wait), and to send none
   * if the server answers first.
   */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | StreamBody;
  readonly signal: AbortSignal;
  /** Called with the total bytes of the body sent so far. */
  readonly onUploadProgress?: (sent: number) => void;
}

export interface HttpResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /**
   * The credentials of the request this answers (its token), added by the engine once the
   * answer is in (see withRequestCredentials): whatever quotes the answer leaves them out
   * before it cuts the quote to length. The body itself is left as it came: a presigned URL
   * in it must stay whole.
   */
  readonly credentials?: readonly string[];
}

export interface Http {
  /**
   * Resolves with any HTTP answer, whatever its status. Rejects only when no answer came:
   * with an error whose `code` names the cause (ECONNRESET, ETIMEDOUT…), or with
   * `signal.reason` when aborted. Never follows redirects on a PUT, never retries itself.
   */
  request(request: HttpRequest): Promise<HttpResponse>;
}

export interface SecretStore {
  /** The token for a target. Rejects with a DeliveryError of kind `no-token` when there is none. */
  token(target: string): Promise<string>;
}

/** One part the server confirmed: what completing the upload must name. */
export interface UploadedPart {
  readonly partNumber: number;
  readonly etag: string;
  readonly size: number;
}

/** What survives a crash of a multipart upload, so a restart sends only the missing parts. */
export interface MultipartCheckpoint {
  readonly uploadId: string;
  readonly remoteId: string;
  readonly partSize: number;
  /** The file as it was when the upload began: a different size or mtime means start over. */
  readonly size: number;
  readonly mtimeMs: number;
  readonly parts: readonly UploadedPart[];
  /** The complete request may have been sent: see MultipartCheckpoints. */
  readonly completing?: boolean;
}

/** Records that outlive a crash, one per key (a file at a target). */
export interface DurableRecords<T> {
  /** Undefined when nothing was saved under `key` (or what was saved cannot be read). */
  load(key: string): Promise<T | undefined>;
  /** Durable on return: a crash right after must find it. */
  save(key: string, record: T): Promise<void>;
  clear(key: string): Promise<void>;
}

/**
 * A multipart upload kept until its delivery is recorded. `completing` is set just before the
 * complete request: a server that then no longer knows the upload has assembled it.
 */
export type MultipartCheckpoints = DurableRecords<MultipartCheckpoint>;

/**
 * A presigned URL granted for a file, kept from before its PUT until the delivery is recorded.
 * A crash in between resumes with the same URL, so the vendor gets the same object again,
 * not a second one.
 */
export interface PendingGrant {
  readonly remoteId: string;
  readonly url: string;
  /**
   * The endpoint of the target that granted the URL. A fresh URL's host is the vendor's storage,
   * not its API, so the URL alone cannot say whose it is: only a target with this endpoint may
   * send to it.
   */
  readonly endpoint: string;
}

export type PendingGrants = DurableRecords<PendingGrant>;

export type LogFields = Readonly<Record<string, unknown>>;

/** A structured logger whose sink redacts; the engine still never hands it a token on purpose. */
export interface Logger {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
}
