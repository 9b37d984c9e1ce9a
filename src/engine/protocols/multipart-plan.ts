/** S3's rules for multipart uploads: they bound every plan. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PART_SIZE = 5 * 1024 ** 3;
export const MAX_PARTS = 10_000;
/** S3's largest object: 10,000 parts cannot carry more at the largest part size it allows. */
export const MULTIPART_LIMIT = 5 * 1024 ** 4;

const MIB = 1024 * 1024;

export interface PartRange {
  readonly partNumber: number;
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

/**
 * The smallest whole number of MiB (at least 5 MiB) that fits the file into 10,000 parts:
 * small parts keep a resend after a crash cheap, whole MiB keep the plan readable in logs.
 */
export function partSizeFor(size: number): number {
  const needed = Math.ceil(size / MAX_PARTS / MIB) * MIB;
  return Math.min(MAX_PART_SIZE, Math.max(MIN_PART_SIZE, needed));
}

/** The parts of a file of `size` bytes, numbered from 1; only the last may be short. */
export function partRanges(size: number, partSize: number): PartRange[] {
  const ranges: PartRange[] = [];
  for (let start = 0, partNumber = 1; start < size; start += partSize, partNumber += 1) {
    ranges.push({ partNumber, start, end: Math.min(size, start + partSize) });
  }
  return ranges;
}
