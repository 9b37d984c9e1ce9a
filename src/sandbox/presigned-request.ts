import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { S3Failure } from './s3-error.js';
import type { S3Credentials } from './presigner.js';

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** SigV4's limit on X-Amz-Expires: one week. */
const MAX_EXPIRES_SECONDS = 604_800;
/** Presigned S3 URLs never sign the body. */
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** The parts of an incoming request a SigV4 query signature covers. */
export interface IncomingPresigned {
  readonly method: string;
  /** The path exactly as sent (still percent-encoded): S3 signs it unnormalised. */
  readonly rawPath: string;
  readonly query: readonly (readonly [string, string])[];
  readonly headers: IncomingHttpHeaders;
}

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly failure: S3Failure };

function queryError(message: string): Verdict {
  return { ok: false, failure: { status: 400, code: 'AuthorizationQueryParametersError', message } };
}

/**
 * Splits a raw query string into decoded pairs. `+` stays a plus: SigV4 canonicalisation
 * works on RFC 3986 encoding, not on HTML form encoding.
 */
export function parseRawQuery(rawQuery: string): [string, string][] {
  if (rawQuery === '') return [];
  return rawQuery.split('&').map((pair) => {
    const at = pair.indexOf('=');
    const name = at === -1 ? pair : pair.slice(0, at);
    const value = at === -1 ? '' : pair.slice(at + 1);
    const decode = (text: string) => {
      try {
        return decodeURIComponent(text);
      } catch {
        return text;
      }
    };
    return [decode(name), decode(value)];
  });
}

function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks a SigV4 presigned request the way S3 does, because s3rver checks nothing.
 * The signature is recomputed with the AWS SDK's own signer: the incoming request is
 * presigned again with the same credentials, date, expiry, signed headers and query, and
 * the two signatures are compared in constant time.
 */
export async function verifyPresigned(
  request: IncomingPresigned,
  credentials: S3Credentials,
  now: Date,
): Promise<Verdict> {
  const params = new Map<string, string>();
  for (const [name, value] of request.query) params.set(name, value);
  const algorithm = params.get('X-Amz-Algorithm');
  if (algorithm !== ALGORITHM) return queryError(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
  const credential = params.get('X-Amz-Credential');
  const amzDate = params.get('X-Amz-Date');
  const expires = params.get('X-Amz-Expires');
  const signedHeaders = params.get('X-Amz-SignedHeaders');
  const signature = params.get('X-Amz-Signature');
  if (
    credential === undefined ||
    amzDate === undefined ||
    expires === undefined ||
    signedHeaders === undefined ||
    signature === undefined
  ) {
    return queryError(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  const signingDate = parseAmzDate(amzDate);
  if (signingDate === undefined)
    return queryError(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  if (!/^\d+$/.test(expires)) return queryError('X-Amz-Expires should be a number');
  const expiresIn = Number(expires);
  if (expiresIn > MAX_EXPIRES_SECONDS) {
    return queryError(`X-Amz-Expires must be less than a week (in seconds) that is; ${MAX_EXPIRES_SECONDS}`);
  }
  const accessKeyId = credential.split('/')[0];
  if (accessKeyId !== credentials.accessKeyId) {
    return {
      ok: false,
      failure: {
        status: 403,
        code: 'InvalidAccessKeyId',
        message: 'The AWS Access Key Id you provided does not exist in our records.',
      },
    };
  }
  if (now.getTime() > signingDate.getTime() + expiresIn * 1000) {
    return { ok: false, failure: { status: 403, code: 'AccessDenied', message: 'Request has expired' } };
  }

  const signedNames = signedHeaders.toLowerCase().split(';');
  const headers: Record<string, string> = { 'x-amz-content-sha256': UNSIGNED_PAYLOAD };
  for (const name of signedNames) {
    const value = headerValue(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of params) if (name !== 'X-Amz-Signature') query[name] = value;
  const [, scopeDate, region, service] = credential.split('/');
  const signer = new SignatureV4({
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    region: credentials.region,
    service: 's3',
    sha256: Sha256,
    // S3 signs the path as sent, without SigV4's usual normalising and double-encoding.
    uriEscapePath: false,
  });
  const resigned = await signer.presign(
    new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname: 'sandbox',
      path: request.rawPath,
      query,
      headers,
    }),
    {
      signingDate,
      expiresIn,
      // The payload marker only selects the payload hash; it is not part of the URL.
      unhoistableHeaders: new Set(['x-amz-content-sha256']),
      unsignableHeaders: new Set(['x-amz-content-sha256']),
      signableHeaders: new Set(signedNames),
    },
  );
  const expected = resigned.query?.['X-Amz-Signature'];
  // A URL signed for another region, service or day is not ours, whatever its signature.
  const scopeMatches = scopeDate === amzDate.slice(0, 8) && region === credentials.region && service === 's3';
  if (!scopeMatches || typeof expected !== 'string' || !sameSignature(expected, signature)) {
    return {
      ok: false,
      failure: {
        status: 403,
        code: 'SignatureDoesNotMatch',
        message:
          'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      },
    };
  }
  return { ok: true };
}
