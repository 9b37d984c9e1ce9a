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
