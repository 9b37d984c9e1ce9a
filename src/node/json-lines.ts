import { createReadStream } from 'node:fs';

const NEWLINE = 0x0a;

/** What reading a JSON-lines file found. */
export interface JsonLinesReport {
  /** Non-empty lines read, the skipped ones included. */
  readonly lines: number;
  /** Lines that were not JSON or that the caller refused. */
  readonly skipped: number;
  /** The file did not end with a newline: its last write may have been cut short. */
  readonly unterminated: boolean;
  /** The unterminated last line was skipped: it is a torn write. */
  readonly tornTail: boolean;
  /** Bytes up to and including the last newline: what is left once a torn tail is cut off. */
  readonly terminatedBytes: number;
}

/**
 * Streams a JSON-lines file, handing each parsed line to `accept`, which answers whether the
 * value was a well-formed entry. A line that does not parse, or that `accept` refuses, is
 * counted and skipped: one damaged line must not cost the entries around it.
 * A missing file reads as empty.
 */
export async function readJsonLines(
  path: string,
  accept: (value: unknown) => boolean,
): Promise<JsonLinesReport> {
  let lines = 0;
  let skipped = 0;
  let terminatedBytes = 0;
  let carry: Buffer[] = [];

  const take = (bytes: Buffer): boolean => {
    const text = bytes.toString('utf8').trim();
    if (text === '') return true;
    lines += 1;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      skipped += 1;
      return false;
    }
    if (accept(value)) return true;
    skipped += 1;
    return false;
  };

  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      let start = 0;
      for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
        // Splitting bytes at 0x0a is safe for UTF-8: the byte never occurs inside a multi-byte character.
        const line =
          carry.length === 0
            ? chunk.subarray(start, end)
            : Buffer.concat([...carry, chunk.subarray(start, end)]);
        carry = [];
        take(line);
        terminatedBytes += line.length + 1;
        start = end + 1;
      }
      if (start < chunk.length) carry.push(chunk.subarray(start));
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }

  const tail = Buffer.concat(carry);
  const unterminated = tail.length > 0;
  const tornTail = unterminated && !take(tail);
  return { lines, skipped, unterminated, tornTail, terminatedBytes };
}
