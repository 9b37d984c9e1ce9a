import { ConversionError, typed, type ColumnType } from './column-types.js';
import { sniffDelimiter } from './delimiter-sniffer.js';
import { NdjsonOutput } from './ndjson-output.js';
import { EncodingCheck } from './encoding-check.js';
import { withoutBom } from './utf8.js';

export interface ConversionOptions {
  /** Per-column types by header name; unnamed columns stay strings. */
  readonly types?: Readonly<Record<string, ColumnType>>;
  /**
   * Keys every NDJSON record must have (the folder's `requiredKeys`). Every record has every
   * header name, so the header alone tells: a missing column stops the conversion at line 1.
   */
  readonly requiredKeys?: readonly string[];
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const OPEN_STRING = new Uint8Array([QUOTE]);
const END_RECORD = new TextEncoder().encode('}\n');

/** The bytes of one field kept whole: header names and typed values, which need a string. */
class FieldBytes {
  private bytes = new Uint8Array(256);
  private length = 0;
  // A field may start with U+FEFF; only the file's own byte-order mark is dropped, earlier.
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });

  add(source: Uint8Array, from: number, to: number): void {
    const needed = this.length + to - from;
    if (needed > this.bytes.length) {
      const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    this.bytes.set(source.subarray(from, to), this.length);
    this.length = needed;
  }

  take(): string {
    const text = this.decoder.decode(this.bytes.subarray(0, this.length));
    this.length = 0;
    return text;
  }
}

/**
 * CSV bytes to NDJSON bytes, without a string per field: a string column's bytes are copied
 * into the output with JSON's escapes, so a file of any size makes next to no garbage (which
 * is what keeps V8's young generation from growing for the length of a conversion). Only
 * header names and typed values are decoded. RFC 4180 quoting, LF or CRLF line ends (a CR
 * outside quotes is dropped), blank lines skipped.
 */
class CsvTranscoder {
  /** 1 for the bytes that end a run of field content outside quotes. */
  private readonly structural = new Uint8Array(256);
  private delimiter = -1;
  private header: string[] | undefined;
  private readonly headerNames: string[] = [];
  /** `{"name":` for the first column, `,"name":` for the others. */
  private keys: Uint8Array[] = [];
  private types: ColumnType[] = [];
  private readonly kept = new FieldBytes();

  private field = 0;
  private fieldBytes = 0;
  /** A string field's key and opening quote are written (at its first byte, not before: a blank line writes nothing). */
  private fieldOpen = false;
  private inQuotes = false;
  private afterQuote = false;
  line = 1;
  private recordLine = 1;

  constructor(
    private readonly output: NdjsonOutput,
    private readonly columnTypes: Readonly<Record<string, ColumnType>>,
    private readonly requiredKeys: readonly string[],
  ) {
    for (const byte of [QUOTE, LF, CR]) this.structural[byte] = 1;
  }

  get hasDelimiter(): boolean {
    return this.delimiter >= 0;
  }

  useDelimiter(delimiter: number): void {
    this.delimiter = delimiter;
    this.structural[delimiter] = 1;
  }

  feed(bytes: Uint8Array): void {
    const { structural, delimiter } = this;
    let run = 0;
    for (let i = 0; i < bytes.length; i += 1) {
      const c = bytes[i] ?? 0;
      if (this.inQuotes) {
        if (c === QUOTE) {
          this.content(bytes, run, i);
          this.inQuotes = false;
          this.afterQuote = true;
          run = i + 1;
        } else if (c === LF) this.line += 1;
        continue;
      }
      if (this.afterQuote) {
        this.afterQuote = false;
        if (c === QUOTE) {
          // A doubled quote: this one is content, the first of the next run.
          this.inQuotes = true;
          run = i;
          continue;
        }
      }
      if (structural[c] === 0) continue;
      if (c === delimiter) {
        this.content(bytes, run, i);
        this.endField();
        run = i + 1;
      } else if (c === LF) {
        this.content(bytes, run, i);
        this.endRecord();
        this.line += 1;
        this.recordLine = this.line;
        run = i + 1;
      } else if (c === CR) {
        this.content(bytes, run, i);
        run = i + 1;
      } else if (this.fieldBytes === 0 && run === i) {
        // A quote opens a quoted field only at its start; elsewhere it is content.
        this.inQuotes = true;
        run = i + 1;
      }
    }
    this.content(bytes, run, bytes.length);
  }

  /** Ends the last record when the file does not end with a newline. */
  end(): void {
    if (this.inQuotes) throw new ConversionError('a quoted field is never closed', this.recordLine);
    if (this.field > 0 || this.fieldBytes > 0) this.endRecord();
  }

  private content(bytes: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    this.fieldBytes += to - from;
    const { header, field } = this;
    if (header === undefined || this.types[field] !== 'string') {
      // Header names and typed values are kept whole; fields past the header's are counted only.
      if (header === undefined || field < header.length) this.kept.add(bytes, from, to);
      return;
    }
    this.openString();
    this.output.escaped(bytes, from, to);
  }

  private openString(): void {
    if (this.fieldOpen) return;
    this.fieldOpen = true;
    this.output.raw(this.keys[this.field] ?? OPEN_STRING);
    this.output.raw(OPEN_STRING);
  }

  private endField(): void {
    const { header, field } = this;
    if (header === undefined) {
      this.headerNames.push(this.kept.take().trim());
    } else if (field < header.length) {
      const type = this.types[field] ?? 'string';
      if (type === 'string') {
        this.openString();
        this.output.raw(OPEN_STRING);
      } else {
        const value = typed(this.kept.take(), type, header[field] ?? '', this.recordLine);
        this.output.raw(this.keys[field] ?? OPEN_STRING);
        this.output.text(JSON.stringify(value));
      }
    }
    this.field += 1;
    this.fieldBytes = 0;
    this.fieldOpen = false;
  }

  private endRecord(): void {
    // A line with nothing on it (not even a delimiter) is no record.
    if (this.field === 0 && this.fieldBytes === 0) return;
    this.endField();
    const fields = this.field;
    this.field = 0;
    if (this.header === undefined) {
      this.startColumns(this.headerNames.splice(0));
      return;
    }
    if (fields !== this.header.length) {
      throw new ConversionError(
        `${fields} field(s) where the header has ${this.header.length}`,
        this.recordLine,
      );
    }
    this.output.raw(END_RECORD);
  }

  private startColumns(names: string[]): void {
    const twice = names.find((name, i) => names.indexOf(name) !== i);
    if (twice !== undefined) {
      throw new ConversionError(`the header names the column '${twice}' twice`, this.recordLine);
    }
    const absent = this.requiredKeys.filter((key) => !names.includes(key));
    if (absent.length > 0) {
      const list = absent.map((key) => `'${key}'`).join(', ');
      throw new ConversionError(
        `the header has no column ${list}, which every record must have`,
        this.recordLine,
      );
    }
    const encoder = new TextEncoder();
    this.header = names;
    this.keys = names.map((name, i) => encoder.encode(`${i === 0 ? '{' : ','}${JSON.stringify(name)}:`));
    // Own keys only: a column named `toString` is not typed by Object.prototype.
    this.types = names.map((name) =>
      Object.hasOwn(this.columnTypes, name) ? (this.columnTypes[name] ?? 'string') : 'string',
    );
  }
}

/** Gathers the first 64 KiB (or the whole of a smaller file) to sniff the delimiter from. */
class FileHead {
  private parts: Uint8Array[] = [];
  private bytes = 0;

  /** All bytes so far once there are enough to decide, else undefined. */
  add(chunk: Uint8Array): Uint8Array | undefined {
    // Copied: a chunk may be lent (valid only until the next is pulled).
    this.parts.push(chunk.slice());
    this.bytes += chunk.length;
    return this.bytes >= 64 * 1024 ? this.rest() : undefined;
  }

  rest(): Uint8Array {
    const all = new Uint8Array(this.bytes);
    let offset = 0;
    for (const part of this.parts) {
      all.set(part, offset);
      offset += part.length;
    }
    this.parts = [];
    this.bytes = 0;
    return all;
  }
}

/** The output buffer; it is lent out once half full, so a slice's rows have the other half. */
const OUTPUT_BYTES = 256 * 1024;
/**
 * Input is transcoded this much at a time, then what is ready is handed on: the rows of one
 * slice fit the free half of the output buffer unless they are over eight times its size.
 */
const INPUT_SLICE = 16 * 1024;

/**
 * Streams CSV (any delimiter the check detects) into NDJSON: one object per row, keyed by
 * the header's names, values typed per column. Memory holds one output buffer and the field
 * being typed, whatever the file's size, and the chunks it yields are lent like the ones it
 * reads (valid until the next is asked for). A row whose field count differs from the
 * header's, a value that does not fit its type or bytes that are not UTF-8 stop the
 * conversion with a ConversionError naming the line.
 */
export async function* csvToNdjson(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ConversionOptions = {},
): AsyncGenerator<Uint8Array> {
  const output = new NdjsonOutput(OUTPUT_BYTES);
  const csv = new CsvTranscoder(output, options.types ?? {}, options.requiredKeys ?? []);
  // The content check's own UTF-8 validation: bytes that are not UTF-8 stop the conversion.
  const encoding = new EncodingCheck();
  function* transcoded(bytes: Uint8Array): Generator<Uint8Array> {
    for (let at = 0; at < bytes.length; at += INPUT_SLICE) {
      const slice = bytes.subarray(at, at + INPUT_SLICE);
      encoding.feed(slice, csv.line);
      const invalid = encoding.invalidLine;
      if (invalid !== undefined)
        throw new ConversionError('not valid UTF-8; save the file as UTF-8', invalid);
      csv.feed(slice);
      yield* output.take(OUTPUT_BYTES / 2);
    }
  }
  function* fromHead(head: Uint8Array): Generator<Uint8Array> {
    const text = withoutBom(head);
    csv.useDelimiter(sniffDelimiter(text));
    yield* transcoded(text);
  }

  const head = new FileHead();
  for await (const chunk of chunks) {
    if (csv.hasDelimiter) {
      yield* transcoded(chunk);
      continue;
    }
    const first = head.add(chunk);
    if (first !== undefined) yield* fromHead(first);
  }
  if (!csv.hasDelimiter) yield* fromHead(head.rest());
  encoding.end();
  if (encoding.invalidLine !== undefined)
    throw new ConversionError('the file ends in the middle of a UTF-8 character', csv.line);
  csv.end();
  yield* output.take(0);
}
