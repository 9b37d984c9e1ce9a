import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endsOnCharBoundary, isAscii } from '../../../src/engine/content/utf8.js';

const encoder = new TextEncoder();

describe('isAscii', () => {
  it('is true only when no byte has its high bit set, at any offset and length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.integer({ min: 0, max: 7 }), (data, offset) => {
        const bytes = new Uint8Array(data.length + offset).subarray(offset);
        bytes.set(data.map((b) => b & 0x7f));
        expect(isAscii(bytes)).toBe(true);
        if (bytes.length > 0) {
          const at = (data[0] ?? 0) % bytes.length;
          bytes[at] = 0x80 | (bytes[at] ?? 0);
          expect(isAscii(bytes)).toBe(false);
        }
      }),
    );
  });
});

describe('endsOnCharBoundary', () => {
  it('tells whether UTF-8 text cut at any point ends with a whole character', () => {
    const bytes = encoder.encode('a€é😀b€');
    const boundaries = new Set<number>();
    let at = 0;
    for (const char of 'a€é😀b€') {
      at += encoder.encode(char).length;
      boundaries.add(at);
    }
    for (let cut = 1; cut <= bytes.length; cut += 1) {
      expect(endsOnCharBoundary(bytes.subarray(0, cut)), `cut at ${cut}`).toBe(boundaries.has(cut));
    }
  });

  it('is false (keep decoding) when the bytes are only the tail of a character', () => {
    expect(endsOnCharBoundary(Uint8Array.of(0x98, 0x80))).toBe(false);
    expect(endsOnCharBoundary(new Uint8Array(0))).toBe(false);
  });
});
