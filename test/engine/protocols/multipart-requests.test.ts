import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/engine/delivery-error.js';
import { readPartUrl } from '../../../src/engine/protocols/multipart-requests.js';

/** A part's presigned URL passes the policy a single PUT's does (issue #16, multipart part URLs). */
const answer = (url: unknown) => ({ status: 200, headers: {}, body: JSON.stringify({ url }) });

describe('readPartUrl', () => {
  it.each([
    'https://bucket.s3.example/k?partNumber=1&X-Amz-Signature=s',
    'http://127.0.0.1:4568/bucket/k?partNumber=1',
    'http://localhost:4568/bucket/k',
  ])('takes %s', (url) => {
    expect(readPartUrl(answer(url))).toBe(url);
  });

  it.each([
    ['plain http to another host', 'http://attacker.example/k?partNumber=1'],
    ['credentials in the URL', 'https://user:pw@bucket.s3.example/k'],
    ['another scheme', 'ftp://bucket.s3.example/k'],
    ['no URL at all', 'bucket/k'],
    ['no string', 42],
  ])('refuses %s as a bad answer, before any byte is sent to it', (_what, url) => {
    const read = () => readPartUrl(answer(url));
    expect(read).toThrow(DeliveryError);
    expect(read).toThrow(/^the part-URL request answered HTTP 200 with /);
  });
});
