import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../../src/engine/protocols/registry.js';
import { sizeLimitOf, sizeRefusal } from '../../src/engine/size-limit.js';

const GiB = 1024 ** 3;

describe('sizeLimitOf', () => {
  it("takes the target's maxBytes within its protocol's own limit", () => {
    expect(sizeLimitOf(PROTOCOLS.lexer, undefined)).toEqual({
      maxBytes: 5 * GiB,
      limitedBy: { by: 'target', multipartCarriesMore: true },
    });
    expect(sizeLimitOf(PROTOCOLS.lexer, 1024).maxBytes).toBe(1024);
    expect(sizeLimitOf(PROTOCOLS['s3-multipart'], GiB)).toEqual({
      maxBytes: GiB,
      limitedBy: { by: 'target', multipartCarriesMore: false },
    });
  });
});

describe('sizeRefusal', () => {
  const lexer = { name: 'lexer', ...sizeLimitOf(PROTOCOLS.lexer, undefined) };

  it('lets a file within the limit through, and refuses an empty one', () => {
    expect(sizeRefusal({ size: 5 * GiB }, lexer)).toBeUndefined();
    expect(sizeRefusal({ size: 0 }, lexer)).toBe('the file is empty: there is nothing to deliver');
  });

  it('says the way out of a single-PUT limit: compress, split, or a multipart target', () => {
    expect(sizeRefusal({ size: 6 * GiB }, lexer)).toBe(
      `the file is 6 GiB; target 'lexer' accepts at most 5 GiB: compress it (a folder's "compress": "gzip" sends it gzipped), split it into smaller files, or send it to a target with the s3-multipart profile`,
    );
    expect(sizeRefusal({ size: 5 * GiB + 1 }, lexer)).toContain(
      `the file is ${5 * GiB + 1} bytes; target 'lexer' accepts at most ${5 * GiB} bytes: `,
    );
  });

  it('does not send a file to multipart that is refused by a multipart target', () => {
    const big = { name: 'big', ...sizeLimitOf(PROTOCOLS['s3-multipart'], GiB) };
    expect(sizeRefusal({ size: 2 * GiB }, big)).toBe(
      `the file is 2 GiB; target 'big' accepts at most 1 GiB: compress it (a folder's "compress": "gzip" sends it gzipped) or split it into smaller files`,
    );
  });
});
