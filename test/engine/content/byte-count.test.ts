import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alignedWords,
  countByte,
  countFlags,
  repeatedByte,
  wordsWithin,
  zeroByteFlags,
} from '../../../src/engine/content/byte-count.js';

function naiveCount(bytes: Uint8Array, value: number, from: number, to: number): number {
  let found = 0;
  for (let i = from; i < to; i += 1) if (bytes[i] === value) found += 1;
  return found;
}

describe('zeroByteFlags and countFlags', () => {
  it('flag exactly the zero bytes of a word', () => {
    expect(zeroByteFlags(0x00000000) >>> 0).toBe(0x80808080);
    expect(zeroByteFlags(0x01020304)).toBe(0);
    expect(zeroByteFlags(0xff00ff80) >>> 0).toBe(0x00800000);
    expect(countFlags(zeroByteFlags(0x2c002c2c ^ repeatedByte(0x2c)))).toBe(3);
  });

  it('count the bytes of any word that equal any value', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 255 }), (b, v) => {
        const word = new Uint32Array(Uint8Array.from(b).buffer)[0] ?? 0;
        expect(countFlags(zeroByteFlags(word ^ repeatedByte(v)))).toBe(naiveCount(b, v, 0, 4));
      }),
    );
  });
});

describe('alignedWords and wordsWithin', () => {
  it('start on a 4-byte boundary of the underlying buffer, whatever the view', () => {
    const buffer = new Uint8Array(40);
    for (let offset = 0; offset < 8; offset += 1) {
      const { words, head } = alignedWords(buffer.subarray(offset));
      expect((offset + head) % 4).toBe(0);
      expect(head + words.length * 4).toBeLessThanOrEqual(40 - offset);
    }
  });

  it('give only whole words inside the range', () => {
    const aligned = alignedWords(new Uint8Array(64).subarray(1));
    // head is 3: word w covers bytes 3 + 4w .. 6 + 4w.
    expect(wordsWithin(aligned, 0, 63)).toEqual([0, 15]);
    expect(wordsWithin(aligned, 4, 11)).toEqual([1, 2]);
    expect(wordsWithin(aligned, 4, 6)).toEqual([1, 1]);
    expect(wordsWithin(aligned, 0, 2)).toEqual([0, 0]);
  });
});

describe('countByte', () => {
  it('counts like a byte-by-byte loop for any bytes, view offset and range', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.integer({ min: 0, max: 7 }),
        fc.constantFrom(0x2c, 0x0a, 0x00, 0xff),
        fc.nat(),
        fc.nat(),
        (data, offset, value, a, b) => {
          // Bias the data towards the value so that matches are common.
          const bytes = new Uint8Array(data.length + offset).subarray(offset);
          data.forEach((byte, i) => (bytes[i] = byte % 3 === 0 ? value : byte));
          const from = bytes.length === 0 ? 0 : a % (bytes.length + 1);
          const to = from + (bytes.length === 0 ? 0 : b % (bytes.length - from + 1));
          expect(countByte(bytes, value, from, to)).toBe(naiveCount(bytes, value, from, to));
        },
      ),
    );
  });
});
