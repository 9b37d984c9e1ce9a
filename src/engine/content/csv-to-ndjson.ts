import { sniffDelimiter } from './delimiter-sniffer.js';
import { CsvRecords } from './csv-records.js';

/** How a CSV column's text becomes a JSON value. Empty text is null for every type but string. */
export type ColumnType = 'string' | 'number' | 'boolean' | 'date';

export interface ConversionOptions {
  /** Per-column types by header name; unnamed columns stay strings. */
  readonly types?: Readonly<Record<string, ColumnType>>;
}

/** Why a CSV file could not be turned into NDJSON, with the line to look at. */
export class ConversionError extends Error {
  override readonly name = 'ConversionError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const BOOLEANS: Readonly<Record<string, boolean>> = {
  true: true,
  false: false,
  yes: true,
  no: false,
  '1': true,
  '0': false,
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function typed(text: string, type: ColumnType, column: string, line: number): unknown {
  if (type === 'string') return text;
  const trimmed = text.trim();
  if (trimmed === '') return null;
  switch (type) {
    case 'number': {
      const value = Number(trimmed);
      if (!Number.isFinite(value))
        throw new ConversionError(`'${text}' in column '${column}' is not a number`, line);
      return value;
    }
    case 'boolean': {
      const value = BOOLEANS[trimmed.toLowerCase()];
      if (value === undefined)
        throw new ConversionError(`'${text}' in column '${column}' is not true or false`, line);
      return value;
    }
    case 'date':
      if (!ISO_DATE.test(trimmed) || Number.isNaN(Date.parse(trimmed))) {
        throw new ConversionError(`'${text}' in column '${column}' is not an ISO date (YYYY-MM-DD)`, line);
      }
      return trimmed;
  }
}

/** Gathers the first 64 KiB (or the whole of a smaller file) to sniff the delimiter from. */
class FileHead {
  private parts: Uint8Array[] = [];
  private bytes = 0;

  /** All bytes so far once there are enough to decide, else undefined. */
  add(chunk: Uint8Array): Uint8Array | undefined {
    this.parts.push(chunk);
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

/** Output is gathered into pieces about this big before it is handed on. */
const OUTPUT_BYTES = 256 * 1024;

/**
 * Streams CSV (any delimiter the check detects) into NDJSON: one object per
 * row, keyed by the header's names, values typed per column. Memory holds one
 * row and one output piece, whatever the file's size. A row whose field count
 * differs from the header's, or a value that does not fit its type, stops the
 * conversion with a ConversionError naming the line.
 */
export async function* csvToNdjson(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ConversionOptions = {},
): AsyncGenerator<Uint8Array> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const encoder = new TextEncoder();
  let header: string[] | undefined;
  let types: ColumnType[] = [];
  let output = '';
  const ready: Uint8Array[] = [];

  const onRecord = (fields: string[], line: number) => {
    if (header === undefined) {
      header = fields.map((name) => name.trim());
      types = header.map((name) => options.types?.[name] ?? 'string');
      return;
    }
    if (fields.length !== header.length) {
      throw new ConversionError(`${fields.length} field(s) where the header has ${header.length}`, line);
    }
    const row: Record<string, unknown> = {};
    fields.forEach((text, i) => {
      const name = header?.[i] ?? '';
      row[name] = typed(text, types[i] ?? 'string', name, line);
    });
    output += `${JSON.stringify(row)}\n`;
    if (output.length >= OUTPUT_BYTES) {
      ready.push(encoder.encode(output));
      output = '';
    }
  };

  // The decoder drops a byte-order mark; the delimiter is sniffed from the file's head.
  const records = new CsvRecords(onRecord);
  const head = new FileHead();
  for await (const chunk of chunks) {
    if (!records.hasDelimiter) {
      const first = head.add(chunk);
      if (first === undefined) continue;
      records.useDelimiter(sniffDelimiter(first));
      records.feed(decoder.decode(first, { stream: true }));
    } else {
      records.feed(decoder.decode(chunk, { stream: true }));
    }
    yield* ready.splice(0);
  }
  if (!records.hasDelimiter) {
    const first = head.rest();
    records.useDelimiter(sniffDelimiter(first));
    records.feed(decoder.decode(first, { stream: true }));
  }
  records.feed(decoder.decode());
  records.end();
  if (records.unclosedQuote)
    throw new ConversionError('a quoted field is never closed', records.openRecordLine);
  yield* ready.splice(0);
  if (output !== '') yield encoder.encode(output);
}
