import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../../src/engine/protocols/registry.js';
import { sizeLimitOf, sizeRefusal } from '../../src/engine/size-limit.js';

const GiB = 1024 ** 3;

describe('sizeLimitOf', () => {
  it("takes the target's maxBytes within its protocol's own limit", () => {
    expect(sizeLimitOf(PROTOCOLS.lexer, undefined, {})).toEqual({
      maxBytes: 5 * GiB,
      limitedBy: { by: 'target', multipartCarriesMore: true },
    });
    expect(sizeLimitOf(PROTOCOLS.lexer, 1024, {}).maxBytes).toBe(1024);
    expect(sizeLimitOf(PROTOCOLS['s3-multipart'], GiB, {})).toEqual({
      maxBytes: GiB,
      limitedBy: { by: 'target', multipartCarriesMore: false },
    });
  });

  it("takes the form API's file_size_limit when it is lower, and only a whole number of bytes", () => {
    expect(sizeLimitOf(PROTOCOLS.form, undefined, { file_size_limit: '100000' })).toEqual({
      maxBytes: 100_000,
      limitedBy: { by: 'field', field: 'file_size_limit' },
    });
    expect(sizeLimitOf(PROTOCOLS.form, 1000, { file_size_limit: '100000' }).maxBytes).toBe(1000);
    expect(sizeLimitOf(PROTOCOLS.form, undefined, { file_size_limit: 'lots' }).maxBytes).toBe(5 * GiB);
    // Other profiles send the field as they are told, and measure nothing by it.
    expect(sizeLimitOf(PROTOCOLS.lexer, undefined, { file_size_limit: '10' }).maxBytes).toBe(5 * GiB);
  });
});

describe('sizeRefusal', () => {
  const lexer = { name: 'lexer', ...sizeLimitOf(PROTOCOLS.lexer, undefined, {}) };

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
    const big = { name: 'big', ...sizeLimitOf(PROTOCOLS['s3-multipart'], GiB, {}) };
    expect(sizeRefusal({ size: 2 * GiB }, big)).toBe(
      `the file is 2 GiB; target 'big' accepts at most 1 GiB: compress it (a folder's "compress": "gzip" sends it gzipped) or split it into smaller files`,
    );
  });

  it("names the folder's file_size_limit when that is the limit", () => {
    const files = { name: 'files', ...sizeLimitOf(PROTOCOLS.form, undefined, { file_size_limit: '100000' }) };
    expect(sizeRefusal({ size: 150_000 }, files)).toBe(
      `the file is 146.5 KiB; the folder's file_size_limit is 100,000 bytes, and target 'files' refuses larger files: raise file_size_limit in the folder's fields, compress it (a folder's "compress": "gzip" sends it gzipped), or split it into smaller files`,
    );
  });
});
