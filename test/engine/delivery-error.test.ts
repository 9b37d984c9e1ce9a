import { describe, expect, it } from 'vitest';
import { classify, DeliveryError, toDeliveryError } from '../../src/engine/delivery-error.js';
import { errorFromResponse } from '../../src/engine/vendor-answer.js';
import type { HttpResponse } from '../../src/engine/ports.js';

function answer(status: number, body = '', headers: Record<string, string> = {}): HttpResponse {
  return { status, body, headers };
}

const s3Xml = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>R1</RequestId></Error>`;

function netError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code });
}

describe('classify: HTTP answers', () => {
  it.each([
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [504, 'retry'],
    [408, 'retry'],
    [425, 'retry'],
    [429, 'retry'],
    [401, 'stop-target'],
    [400, 'fail'],
    [403, 'fail'],
    [404, 'fail'],
    [413, 'fail'],
    [422, 'fail'],
  ] as const)('HTTP %i → %s', (status, action) => {
    expect(classify(errorFromResponse(answer(status), 'upload'))).toBe(action);
  });

  it('reads an expired presigned URL from the S3 XML body as "refresh-url"', () => {
    const error = errorFromResponse(answer(403, s3Xml('AccessDenied', 'Request has expired')), 'upload');
    expect(error.kind).toBe('url-expired');
    expect(error.code).toBe('AccessDenied');
    expect(classify(error)).toBe('refresh-url');
  });

  it('treats an expired session token as an expired URL too', () => {
    const error = errorFromResponse(
      answer(400, s3Xml('ExpiredToken', 'The provided token has expired.')),
      'upload',
    );
    expect(classify(error)).toBe('refresh-url');
  });

  it("fails on other 403s, keeping the vendor's words", () => {
    const error = errorFromResponse(
      answer(403, s3Xml('SignatureDoesNotMatch', 'The request signature we calculated does not match')),
      'upload',
    );
    expect(classify(error)).toBe('fail');
    expect(error.message).toBe(
      'the upload answered HTTP 403: SignatureDoesNotMatch: The request signature we calculated does not match',
    );
  });

  it('retries S3 RequestTimeout (a 400) and slows down on S3 SlowDown (a 503)', () => {
    expect(errorFromResponse(answer(400, s3Xml('RequestTimeout', 'Your socket...')), 'upload').kind).toBe(
      'server',
    );
    const slow = errorFromResponse(
      answer(503, s3Xml('SlowDown', 'Please reduce your request rate.')),
      'upload',
    );
    expect(slow.kind).toBe('rate-limited');
    expect(classify(slow)).toBe('retry');
  });

  it('decodes XML entities in the vendor message (the \\u0026 pitfall answer)', () => {
    const body = s3Xml(
      'AuthorizationQueryParametersError',
      'X-Amz-Algorithm only supports &quot;AWS4-HMAC-SHA256&quot;',
    );
    expect(errorFromResponse(answer(400, body), 'upload').message).toBe(
      'the upload answered HTTP 400: AuthorizationQueryParametersError: X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"',
    );
  });

  it('says "token rejected" on a 401 and keeps the JSON message', () => {
    const error = errorFromResponse(answer(401, '{"message":"Invalid API token"}'), 'url-request');
    expect(error.kind).toBe('token-rejected');
    expect(error.message).toBe('token rejected: the upload-URL request answered HTTP 401: Invalid API token');
  });

  it('names an HTML error page by its title and never copies the page', () => {
    const html =
      '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>';
    const error = errorFromResponse(answer(502, html), 'url-request');
    expect(error.message).toBe(
      "the upload-URL request answered HTTP 502: an HTML page titled '502 Bad Gateway'",
    );
    expect(classify(error)).toBe('retry');
  });

  it('reads nested JSON error shapes', () => {
    const cases = [
      ['{"error":{"message":"dataset not found"}}', 'dataset not found'],
      ['{"errors":[{"message":"filename is invalid"}]}', 'filename is invalid'],
      ['{"error":"bad_request","error_description":"missing filename"}', 'missing filename'],
      ['{"detail":"Not allowed"}', 'Not allowed'],
    ] as const;
    for (const [body, said] of cases) {
      expect(errorFromResponse(answer(422, body), 'url-request').message).toContain(said);
    }
  });

  it('keeps garbage bodies short and plain', () => {
    const error = errorFromResponse(answer(400, `not json {${'x'.repeat(1000)}`), 'url-request');
    expect(error.message.length).toBeLessThan(400);
    expect(errorFromResponse(answer(404), 'upload').message).toBe('the upload answered HTTP 404');
  });

  it('keeps the Retry-After header for the retry policy', () => {
    expect(errorFromResponse(answer(429, '', { 'retry-after': '30' }), 'url-request').retryAfter).toBe('30');
  });

  it('redacts a presigned URL the vendor echoes back', () => {
    const body = s3Xml(
      'AccessDenied',
      'denied for https://b.s3.amazonaws.com/k?X-Amz-Signature=abcdef0123456789',
    );
    expect(errorFromResponse(answer(403, body), 'upload').message).not.toContain('abcdef0123456789');
  });
});

describe('classify: thrown errors', () => {
  it.each(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET'])(
    '%s is a network error and retried',
    (code) => {
      const error = toDeliveryError(netError(code));
      expect(error.kind).toBe('network');
      expect(error.code).toBe(code);
      expect(classify(netError(code))).toBe('retry');
    },
  );

  it('fails on certificate errors: retrying cannot fix them', () => {
    expect(classify(netError('CERT_HAS_EXPIRED'))).toBe('fail');
    expect(toDeliveryError(netError('DEPTH_ZERO_SELF_SIGNED_CERT')).kind).toBe('tls');
  });

  it('fails on local file errors', () => {
    expect(toDeliveryError(netError('ENOENT')).kind).toBe('file');
    expect(toDeliveryError(netError('ENOENT')).message).toMatch(
      /^the file was deleted or moved before Ferry/,
    );
    expect(classify(netError('EACCES'))).toBe('fail');
  });

  it('retries an unknown error code but fails on an error with no code at all', () => {
    expect(classify(netError('ERR_SOMETHING_NEW'))).toBe('retry');
    expect(toDeliveryError(new TypeError('x is undefined')).kind).toBe('internal');
    expect(classify(new TypeError('x is undefined'))).toBe('fail');
    expect(classify('a string')).toBe('fail');
  });

  it('passes a DeliveryError through unchanged', () => {
    const error = new DeliveryError('stalled', 'no bytes acknowledged for 60 s');
    expect(toDeliveryError(error)).toBe(error);
    expect(classify(error)).toBe('retry');
    expect(classify(new DeliveryError('no-token', 'no token'))).toBe('stop-target');
    expect(classify(new DeliveryError('bad-answer', 'HTML'))).toBe('retry');
    expect(error.toJobError()).toEqual({ kind: 'stalled', message: 'no bytes acknowledged for 60 s' });
  });
});
