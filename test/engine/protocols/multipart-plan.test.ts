import { describe, expect, it } from 'vitest';
import {
  MAX_PARTS,
  MIN_PART_SIZE,
  MULTIPART_LIMIT,
  partRanges,
  partSizeFor,
} from '../../../src/engine/protocols/multipart-plan.js';

const MIB = 1024 * 1024;

describe('partSizeFor', () => {
  it('uses the 5 MiB minimum while it keeps the file under 10,000 parts', () => {
    expect(partSizeFor(1)).toBe(MIN_PART_SIZE);
    expect(partSizeFor(MAX_PARTS * MIN_PART_SIZE)).toBe(MIN_PART_SIZE);
  });

  it('grows in whole MiB once 5 MiB parts would need more than 10,000 of them', () => {
    const size = MAX_PARTS * MIN_PART_SIZE + 1;
    expect(partSizeFor(size)).toBe(6 * MIB);
    expect(Math.ceil(size / partSizeFor(size))).toBeLessThanOrEqual(MAX_PARTS);
  });

  it.each([100 * MIB, 50 * 1024 * MIB + 3, 1024 ** 4 + 17, MULTIPART_LIMIT])(
    'fits %i bytes into at most 10,000 parts',
    (size) => {
      const partSize = partSizeFor(size);
      expect(partSize % MIB).toBe(0);
      expect(partSize).toBeGreaterThanOrEqual(MIN_PART_SIZE);
      expect(Math.ceil(size / partSize)).toBeLessThanOrEqual(MAX_PARTS);
    },
  );
});

describe('partRanges', () => {
  it('covers the file exactly once, numbered from 1, only the last part short', () => {
    const ranges = partRanges(12 * MIB + 5, 5 * MIB);
    expect(ranges).toEqual([
      { partNumber: 1, start: 0, end: 5 * MIB },
      { partNumber: 2, start: 5 * MIB, end: 10 * MIB },
      { partNumber: 3, start: 10 * MIB, end: 12 * MIB + 5 },
    ]);
  });

  it('makes no empty last part when the size is a multiple of the part size', () => {
    expect(partRanges(10 * MIB, 5 * MIB)).toHaveLength(2);
  });
});
