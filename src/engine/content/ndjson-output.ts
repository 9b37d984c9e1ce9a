const encoder = new TextEncoder();

/** JSON's escape for each byte below 0x20 and for `"` and `\`, written as JSON.stringify writes them. */
const ESCAPES: readonly (Uint8Array | undefined)[] = Array.from({ length: 0x80 }, (_, byte) =>
  byte < 0x20 || byte === 0x22 || byte === 0x5c
    ? encoder.encode(JSON.stringify(String.fromCharCode(byte)).slice(1, -1))
    : undefined,
);

/** Runs shorter than this are copied byte by byte: a typed-array view per short field costs more. */
const SHORT_RUN = 16;

/**
 * NDJSON bytes gathered in one reusable buffer and lent out from it. What does not fit before
 * the buffer is handed on (a slice of input whose rows outgrew the free room, a row larger
 * than the buffer) is copied out, in order: rare, and correct either way.
 */
export class NdjsonOutput {
  private readonly buffer: Uint8Array;
  private used = 0;
  private readonly overflow: Uint8Array[] = [];

  constructor(readonly size: number) {
    this.buffer = new Uint8Array(size);
  }

  /** Bytes as they are, from `from` up to (not including) `to`. */
  raw(bytes: Uint8Array, from = 0, to = bytes.length): void {
    let at = from;
    while (at < to) {
      if (this.used === this.size) this.spill();
      const count = Math.min(to - at, this.size - this.used);
      if (count < SHORT_RUN) {
        for (let k = 0; k < count; k += 1) this.buffer[this.used + k] = bytes[at + k] ?? 0;
      } else {
        this.buffer.set(bytes.subarray(at, at + count), this.used);
      }
      this.used += count;
      at += count;
    }
  }

  /** UTF-8 bytes inside a JSON string: quotes, backslashes and control characters escaped. */
  escaped(bytes: Uint8Array, from: number, to: number): void {
    let run = from;
    for (let i = from; i < to; i += 1) {
      const escape = ESCAPES[bytes[i] ?? 0];
      if (escape === undefined) continue;
      this.raw(bytes, run, i);
      this.raw(escape);
      run = i + 1;
    }
    this.raw(bytes, run, to);
  }

  text(text: string): void {
    const { read, written } = encoder.encodeInto(text, this.buffer.subarray(this.used));
    if (read === text.length) {
      this.used += written;
      return;
    }
    // What encodeInto wrote is left to be overwritten: the text goes whole after the spill.
    this.spill();
    this.raw(encoder.encode(text));
  }

  /** What is ready, in order; the buffer itself only once it holds at least `atLeast` bytes. */
  *take(atLeast: number): Generator<Uint8Array> {
    yield* this.overflow.splice(0);
    if (this.used === 0 || this.used < atLeast) return;
    // Lent: the consumer is done with it when it asks for the next chunk.
    yield this.buffer.subarray(0, this.used);
    this.used = 0;
  }

  private spill(): void {
    if (this.used === 0) return;
    this.overflow.push(this.buffer.slice(0, this.used));
    this.used = 0;
  }
}
