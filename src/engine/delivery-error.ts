import { assertNever } from '../shared/assert-never.js';
import type { JobError } from '../shared/job.js';
import { excerpt } from '../shared/vendor-text.js';

/** Why one attempt at a delivery went wrong. Each kind maps to exactly one action (see `classify`). */
export type DeliveryErrorKind =
  /** No HTTP answer: connection reset or refused, DNS failure, socket timeout. */
  | 'network'
  /** No bytes acknowledged (or no answer) for the stall period; the attempt was aborted. */
  | 'stalled'
  /** 5xx, 408, 425, S3 `RequestTimeout`: the vendor's side failed, the request was fine. */
  | 'server'
  /** 429 or S3 `SlowDown`: the whole target must slow down. */
  | 'rate-limited'
  /** 403 "Request has expired" (or an expired session token): the presigned URL is stale. */
  | 'url-expired'
  /** 401: the token is wrong or revoked. Nothing for this target can succeed until it is replaced. */
  | 'token-rejected'
  /** No token configured, or no keyring reachable to hold one. */
  | 'no-token'
  /** Any other 4xx: the vendor refused this file and said why. */
  | 'vendor-rejected'
  /** A 2xx answer that is not what the profile expects: HTML, garbage JSON, no URL in it. */
  | 'bad-answer'
  /** The TLS peer could not be trusted; retrying cannot fix a certificate. */
  | 'tls'
  /** The local file could not be read, vanished, or kept changing while it was sent. */
  | 'file'
  /** The target's configuration cannot work (unsupported profile, unusable template). */
  | 'config'
  /** Something no adapter should throw: a bug, and retrying a bug only hides it. */
  | 'internal';

export type DeliveryAction = 'retry' | 'refresh-url' | 'stop-target' | 'fail';

export interface DeliveryErrorDetails {
  readonly status?: number;
  /** The vendor's error code (S3 `<Code>`) or the network error code (`ECONNRESET`). */
  readonly code?: string;
  /** The raw Retry-After header: seconds or an HTTP date, resolved against the clock later. */
  readonly retryAfter?: string;
}

/**
 * Ferry's own words and a vendor's excerpt fit well within this; anything longer quotes more
 * of the vendor than a person can read, and would be journaled with every attempt.
 */
const MAX_ERROR_MESSAGE = 1_000;

/**
 * The one error type of the engine. Its message is already redacted, on one line, holds no
 * control character (it quotes vendors) and is of readable length: it may be shown and stored.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly retryAfter: string | undefined;

  constructor(
    readonly kind: DeliveryErrorKind,
    message: string,
    details: DeliveryErrorDetails = {},
  ) {
    super(excerpt(message, MAX_ERROR_MESSAGE));
    this.status = details.status;
    this.code = details.code;
    this.retryAfter = details.retryAfter;
  }

  toJobError(): JobError {
    return { kind: this.kind, message: this.message };
  }
}

/** Error codes of a connection that failed or dropped; another attempt may well succeed. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EPROTO',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_HTTP2_STREAM_ERROR',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Local file-system errors: the file is the problem, not the network. */
const FILE_CODES = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'EBUSY', 'ELOOP']);

/** What a person makes of a local file error, before the system's own words. */
const FILE_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'the file was deleted or moved before Ferry could read it',
  EACCES: 'Ferry may not read the file (permissions)',
  EPERM: 'the system does not let Ferry read the file',
  EISDIR: 'it is a folder, not a file',
  EBUSY: 'another program holds the file',
  ELOOP: 'the path is a loop of symbolic links',
};

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'unknown error';
}

/**
 * Turns whatever an adapter threw into a DeliveryError. Adapters reject only when no HTTP
 * answer arrived, so the error code decides. An unknown code is still a failed request
 * (retried within the budget); an error with no code at all is a bug.
 */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const code = codeOf(error);
  const message = messageOf(error);
  if (code === undefined) return new DeliveryError('internal', `unexpected error: ${message}`);
  if (NETWORK_CODES.has(code))
    return new DeliveryError('network', `network error ${code}: ${message}`, { code });
  if (TLS_CODES.has(code)) return new DeliveryError('tls', `TLS error ${code}: ${message}`, { code });
  if (FILE_CODES.has(code))
    return new DeliveryError('file', `${FILE_REASONS[code] ?? 'file error'} (${code}: ${message})`, { code });
  return new DeliveryError('network', `error ${code}: ${message}`, { code });
}

/** What the engine does next after an attempt failed. Pure: the kind alone decides. */
export function classify(error: unknown): DeliveryAction {
  const { kind } = toDeliveryError(error);
  switch (kind) {
    case 'network':
    case 'stalled':
    case 'server':
    case 'rate-limited':
    case 'bad-answer':
      return 'retry';
    case 'url-expired':
      return 'refresh-url';
    case 'token-rejected':
    case 'no-token':
      return 'stop-target';
    case 'vendor-rejected':
    case 'tls':
    case 'file':
    case 'config':
    case 'internal':
      return 'fail';
    default:
      return assertNever(kind);
  }
}
