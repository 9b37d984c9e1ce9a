/**
 * Index of the first byte that breaks UTF-8 in `bytes`, or -1. Leading
 * continuation bytes are skipped: they may finish a character begun in the
 * previous chunk. A sequence cut off by the end of `bytes` is not an error.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && i < 3 && ((bytes[i] ?? 0) & 0xc0) === 0x80) i += 1;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    const length =
      lead < 0x80
        ? 1
        : lead >= 0xc2 && lead <= 0xdf
          ? 2
          : lead >= 0xe0 && lead <= 0xef
            ? 3
            : lead >= 0xf0 && lead <= 0xf4
              ? 4
              : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k += 1) {
      if (i + k >= bytes.length) return -1;
      if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return -1;
}

/** Lines (1-based) of `bytes[index]`, counting from `firstLine` at `bytes[0]`. */
export function lineAt(bytes: Uint8Array, index: number, firstLine: number): number {
  let line = firstLine;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < index; i = bytes.indexOf(0x0a, i + 1)) line += 1;
  return line;
}

/** Bytes checked word by word before the result is looked at: keeps the loop free of branches. */
const ASCII_STRIDE = 1024;

/**
 * Whether every byte is below 0x80, so the bytes are UTF-8 without needing a decoder (which
 * would build a string of them only to throw it away). Reads four bytes at a time where the
 * buffer's alignment allows: a data file is checked at memory speed, not byte by byte.
 */
export function isAscii(bytes: Uint8Array): boolean {
  const length = bytes.length;
  // Uint32Array views need a 4-byte aligned start; the bytes before it are checked one by one.
  const head = Math.min(length, (4 - (bytes.byteOffset % 4)) % 4);
  let high = 0;
  for (let i = 0; i < head; i += 1) high |= bytes[i] ?? 0;
  if ((high & 0x80) !== 0) return false;
  const words = Math.floor((length - head) / 4);
  if (words > 0) {
    const view = new Uint32Array(bytes.buffer, bytes.byteOffset + head, words);
    for (let w = 0; w < words; w += ASCII_STRIDE) {
      const stop = Math.min(words, w + ASCII_STRIDE);
      let bits = 0;
      for (let k = w; k < stop; k += 1) bits |= view[k] ?? 0;
      if ((bits & 0x80808080) !== 0) return false;
    }
  }
  for (let i = head + words * 4; i < length; i += 1) high |= bytes[i] ?? 0;
  return (high & 0x80) === 0;
}

/**
 * Whether `bytes` (UTF-8 as far as they go) end with a whole character, so a streaming decoder
 * fed them holds nothing back. False when that cannot be told from these bytes alone (they end
 * in continuation bytes of a character begun in an earlier chunk): the caller then keeps using
 * its decoder, which is always right.
 */
export function endsOnCharBoundary(bytes: Uint8Array): boolean {
  const length = bytes.length;
  for (let back = 1; back <= 4 && back <= length; back += 1) {
    const byte = bytes[length - back] ?? 0;
    if (byte < 0x80) return back === 1;
    if ((byte & 0xc0) === 0x80) continue;
    const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return back === size;
  }
  return false;
}

/** `bytes` without a UTF-8 byte-order mark at their start. */
export function withoutBom(bytes: Uint8Array): Uint8Array {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}
