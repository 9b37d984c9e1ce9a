import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redact, REDACTED } from '../../src/shared/redact.js';

const PRESIGNED =
  'https://lexer-client-upload-au.s3.amazonaws.com/in/customers-2024-01-31-v1.csv' +
  '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20240131%2Fap-southeast-2%2Fs3%2Faws4_request' +
  '&X-Amz-Date=20240131T000000Z&X-Amz-Expires=3600&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLE' +
  '&X-Amz-SignedHeaders=host&X-Amz-Signature=0123456789abcdef0123456789abcdef';

const SECRETS_IN_PRESIGNED = ['AKIAEXAMPLE', 'FwoGZXIvYXdzEXAMPLE', '0123456789abcdef0123456789abcdef'];

function expectNone(text: string, secrets: readonly string[]): void {
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('redact: presigned URLs', () => {
  it('drops the whole query of an S3 SigV4 URL and keeps the path', () => {
    expect(redact(PRESIGNED)).toBe(
      `https://lexer-client-upload-au.s3.amazonaws.com/in/customers-2024-01-31-v1.csv?${REDACTED}`,
    );
  });

  it('finds presigned URLs inside a sentence and inside JSON text', () => {
    const sentence = redact(`PUT ${PRESIGNED} failed: ECONNRESET`);
    expect(sentence).toMatch(/^PUT https:\/\/\S+\?\[redacted\] failed: ECONNRESET$/);
    const json = redact(JSON.stringify({ url: PRESIGNED, attempt: 2 }));
    expectNone(json, SECRETS_IN_PRESIGNED);
    expect(JSON.parse(json)).toEqual({ url: expect.stringContaining('?[redacted]') as string, attempt: 2 });
  });

  it("handles the vendor's \\u0026 separators", () => {
    const escaped = PRESIGNED.replaceAll('&', '\\u0026');
    expectNone(redact(`{"id": 123, "url": "${escaped}"}`), SECRETS_IN_PRESIGNED);
  });

  it('drops SigV2, Google and CloudFront signed queries', () => {
    const urls = [
      'https://b.s3.amazonaws.com/k?AWSAccessKeyId=AKIDSECRET1&Expires=1700000000&Signature=c2lnbmF0dXJlMQ%3D%3D',
      'https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=svc%40p&X-Goog-Signature=abcdef123456',
      'https://d111.cloudfront.net/f.csv?Expires=1700000000&Signature=Zm9vYmFyYmF6&Key-Pair-Id=K2JCJMDEHXQW5F',
    ];
    for (const url of urls) expect(redact(url)).toMatch(/\?\[redacted\]$/);
  });

  it('removes signature parameters that appear outside a URL', () => {
    const text = 'canonical: X-Amz-Credential=AKIDLOOSE1%2Fscope&X-Amz-Signature=deadbeefcafe';
    const out = redact(text);
    expectNone(out, ['AKIDLOOSE1', 'deadbeefcafe']);
    expect(out).toContain(`X-Amz-Signature=${REDACTED}`);
  });

  it('keeps ordinary URLs whole, query included', () => {
    const url = 'https://api.lexer.io/v1/uploads?page=2&sort=name';
    expect(redact(url)).toBe(url);
    expect(redact('http://127.0.0.1:4566/v1/uploads')).toBe('http://127.0.0.1:4566/v1/uploads');
  });

  it('removes token-like query parameters of non-presigned URLs', () => {
    expect(redact('https://x.example/cb?access_token=abcdef123&page=1')).toBe(
      `https://x.example/cb?access_token=${REDACTED}&page=1`,
    );
  });
});

describe('redact: credentials in URLs', () => {
  it('removes the password of a proxy URL and keeps the user and host', () => {
    expect(redact('proxy http://alice:s3cr3t-pw@proxy.corp:3128 refused')).toBe(
      `proxy http://alice:${REDACTED}@proxy.corp:3128 refused`,
    );
    expect(redact('https://bob:p%40ss@host/x')).toBe(`https://bob:${REDACTED}@host/x`);
  });
});

describe('redact: headers and tokens', () => {
  it('blanks Authorization and Auth-Api-Token values in header dumps', () => {
    const dump =
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig\r\nAuth-Api-Token: 12345678-1234-1234\r\nAccept: */*';
    const out = redact(dump);
    expectNone(out, ['eyJhbGciOiJIUzI1NiJ9', '12345678-1234-1234']);
    expect(out).toContain('Accept: */*');
    expect(out).toContain(`Auth-Api-Token: ${REDACTED}`);
  });

  it('blanks a bearer token wherever it is written', () => {
    expect(redact('curl -H "authorization: bearer abc.def-ghi"')).not.toContain('abc.def-ghi');
    expect(redact('sent Bearer abcDEF123456 to the API')).toBe(`sent Bearer ${REDACTED} to the API`);
  });

  it('blanks secret-named keys in JSON text', () => {
    const json = JSON.stringify({
      headers: { 'auth-api-token': 'tok-123456', Authorization: 'Bearer xyz987654' },
    });
    const out = redact(json);
    expectNone(out, ['tok-123456', 'xyz987654']);
    expect(JSON.parse(out)).toEqual({ headers: { 'auth-api-token': REDACTED, Authorization: REDACTED } });
  });

  it('removes a known secret wherever it appears, even in free text', () => {
    const token = 'f00dfacef00dface';
    expect(redact(`vendor said: unknown key ${token}!`, [token])).toBe(
      `vendor said: unknown key ${REDACTED}!`,
    );
  });

  it('does not search for very short secrets literally', () => {
    expect(redact('a b c', ['a'])).toBe('a b c');
  });
});

describe('redact: objects', () => {
  it('copies objects, blanking secret keys and scrubbing nested strings', () => {
    const input = {
      target: 'lexer',
      headers: { 'Auth-Api-Token': 'abc123456', 'content-length': '12' },
      attempts: [{ url: PRESIGNED, status: 403 }],
    };
    expect(redact(input)).toEqual({
      target: 'lexer',
      headers: { 'Auth-Api-Token': REDACTED, 'content-length': '12' },
      attempts: [{ url: expect.stringMatching(/\?\[redacted\]$/) as string, status: 403 }],
    });
    expect(input.headers['Auth-Api-Token']).toBe('abc123456');
  });

  it('survives cycles and scrubs error messages', () => {
    const node: Record<string, unknown> = { name: 'loop' };
    node.self = node;
    expect(redact(node)).toEqual({ name: 'loop', self: '[circular]' });
    expect(redact(new Error(`PUT ${PRESIGNED} failed`))).toEqual({
      name: 'Error',
      message: expect.stringContaining('?[redacted] failed') as string,
    });
  });

  it('leaves numbers, booleans and null alone', () => {
    expect(redact({ n: 1, b: true, z: null })).toEqual({ n: 1, b: true, z: null });
  });
});

describe('redact: properties', () => {
  it('never lets an X-Amz-Signature value through, whatever surrounds it', () => {
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^[0-9a-f]{16,64}$/), fc.string(), (before, sig, after) => {
        const text = `${before} https://b.s3.amazonaws.com/k?X-Amz-Signature=${sig} ${after}`;
        const out = redact(text);
        expect(out.includes(sig) && !before.includes(sig) && !after.includes(sig)).toBe(false);
      }),
    );
  });

  it('is idempotent', () => {
    const samples = [PRESIGNED, 'Authorization: Bearer abcdef', 'http://u:p@h/x', 'plain text'];
    for (const s of samples) expect(redact(redact(s))).toBe(redact(s));
  });
});
