import { LineTally, describeLines, type ContentFinding } from './content-report.js';
import { endsOnCharBoundary, firstInvalidUtf8, isAscii, lineAt } from './utf8.js';

const BOM = [0xef, 0xbb, 0xbf] as const;
const DECODE_SLICE = 64 * 1024;

/**
 * Checks what every text format needs: valid UTF-8, no NUL bytes, and whether
 * the file starts with a byte-order mark. Fed the same chunks as the format's
 * own check, with the line number each chunk starts on.
 */
export class EncodingCheck {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly nul = new LineTally();
  private invalid: { line: number; byte: number } | undefined;
  private started = false;
  /** Whether the decoder holds no part of a character: an ASCII chunk then needs no decoding. */
  private decoderEmpty = true;
  bom = false;

  /**
   * The line of the first byte that is not UTF-8, 0 when the file ends inside a character,
   * undefined while all is well.
   */
  get invalidLine(): number | undefined {
    return this.invalid?.line;
  }

  feed(chunk: Uint8Array, firstLine: number): void {
    if (!this.started) {
      this.started = true;
      this.bom = BOM.every((b, i) => chunk[i] === b);
    }
    for (let i = chunk.indexOf(0); i >= 0; i = chunk.indexOf(0, i + 1)) {
      this.nul.add(this.nul.isFull ? 0 : lineAt(chunk, i, firstLine));
    }
    if (this.invalid !== undefined) return;
    if (this.decoderEmpty && isAscii(chunk)) return;
    try {
      // In slices: the decoder builds a string of what it is given, and strings this size
      // die young instead of piling up until a full collection.
      for (let at = 0; at < chunk.length; at += DECODE_SLICE) {
        this.decoder.decode(chunk.subarray(at, at + DECODE_SLICE), { stream: true });
      }
      this.decoderEmpty = endsOnCharBoundary(chunk);
    } catch {
      const at = Math.max(0, firstInvalidUtf8(chunk));
      this.invalid = { line: lineAt(chunk, at, firstLine), byte: chunk[at] ?? 0 };
    }
  }

  end(): void {
    if (this.invalid !== undefined) return;
    try {
      this.decoder.decode();
    } catch {
      this.invalid = { line: 0, byte: 0 };
    }
  }

  findings(): (ContentFinding | undefined)[] {
    const invalid = this.invalid;
    return [
      invalid === undefined
        ? undefined
        : {
            code: 'content-encoding',
            severity: 'error',
            message:
              invalid.line === 0
                ? 'the file ends in the middle of a UTF-8 character'
                : `not valid UTF-8: byte 0x${invalid.byte.toString(16).padStart(2, '0')} on line ${invalid.line}; save the file as UTF-8`,
            ...(invalid.line === 0 ? {} : { lines: [invalid.line] }),
          },
      this.nul.finding(
        'content-nul',
        'error',
        `NUL bytes on line ${describeLines(this.nul.lines, this.nul.count)}`,
      ),
      this.bom
        ? {
            code: 'content-bom',
            severity: 'warning',
            message:
              'the file starts with a UTF-8 byte-order mark, which some importers read as part of the first value',
            lines: [1],
          }
        : undefined,
    ];
  }
}
