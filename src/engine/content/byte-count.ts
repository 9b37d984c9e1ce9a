/**
 * Word-at-a-time byte search ("SWAR"): four bytes of a buffer are looked at in one 32-bit
 * operation, without a branch per byte. A content check's byte-by-byte loops are its slowest
 * part; these let a CSV row's delimiters and line ends be found at a fraction of that cost.
 */

/** `value` in each of the four bytes of a word, to XOR with: matching bytes become zero. */
export function repeatedByte(value: number): number {
  return Math.imul(value & 0xff, 0x01010101);
}

/** The high bit of each byte of `word` that is zero, and no other bit. */
export function zeroByteFlags(word: number): number {
  return ~(((word & 0x7f7f7f7f) + 0x7f7f7f7f) | word | 0x7f7f7f7f);
}

/** How many flags `zeroByteFlags` set: the multiplication sums the four into the top byte. */
export function countFlags(flags: number): number {
  return Math.imul((flags >>> 7) & 0x01010101, 0x01010101) >>> 24;
}

/** A buffer's bytes as whole 32-bit words, from its first 4-byte aligned byte on. */
export interface AlignedWords {
  readonly words: Uint32Array;
  /** Index in the buffer of the first byte of `words[0]`. */
  readonly head: number;
}

export function alignedWords(bytes: Uint8Array): AlignedWords {
  // A Uint32Array view must start on a multiple of 4 in its ArrayBuffer.
  const head = (4 - (bytes.byteOffset % 4)) % 4;
  const count = Math.floor((bytes.length - head) / 4);
  if (count <= 0) return { words: new Uint32Array(0), head: bytes.length };
  return { words: new Uint32Array(bytes.buffer, bytes.byteOffset + head, count), head };
}

/** The words of `aligned` that lie wholly inside `[from, to)` of its buffer, as a half-open index range. */
export function wordsWithin(aligned: AlignedWords, from: number, to: number): [first: number, end: number] {
  const { words, head } = aligned;
  const first = from <= head ? 0 : Math.ceil((from - head) / 4);
  const end = Math.min(words.length, Math.floor((to - head) / 4));
  return end > first ? [first, end] : [first, first];
}

/** How many bytes of `bytes[from .. to)` equal `value`. */
export function countByte(bytes: Uint8Array, value: number, from = 0, to = bytes.length): number {
  const aligned = alignedWords(bytes);
  const [first, end] = wordsWithin(aligned, from, to);
  const pattern = repeatedByte(value);
  let found = 0;
  // Before the first whole word and after the last one, byte by byte; none when no word fits.
  const wordsFrom = first < end ? aligned.head + first * 4 : to;
  const wordsTo = first < end ? aligned.head + end * 4 : to;
  for (let i = from; i < wordsFrom; i += 1) if (bytes[i] === value) found += 1;
  for (let w = first; w < end; w += 1) found += countFlags(zeroByteFlags((aligned.words[w] ?? 0) ^ pattern));
  for (let i = wordsTo; i < to; i += 1) if (bytes[i] === value) found += 1;
  return found;
}
