const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Parses CSV text into records, fed in pieces of any size (a quoted field
 * may hold newlines and span pieces). RFC 4180 quoting; LF or CRLF line
 * ends; blank lines are skipped.
 */
export class CsvRecords {
  private field = '';
  private record: string[] = [];
  private inQuotes = false;
  private afterQuote = false;
  private recordStartLine = 1;
  private line = 1;
  private delimiter = -1;

  constructor(private readonly onRecord: (fields: string[], line: number) => void) {}

  get hasDelimiter(): boolean {
    return this.delimiter >= 0;
  }

  useDelimiter(delimiter: number): void {
    this.delimiter = delimiter;
  }

  feed(text: string): void {
    const delimiter = this.delimiter;
    let { field, inQuotes, afterQuote, line } = this;
    // Plain runs of characters are copied with one slice rather than char by char.
    let runStart = 0;
    for (let i = 0; i < text.length; i += 1) {
      const c = text.charCodeAt(i);
      if (inQuotes) {
        if (c === QUOTE) {
          field += text.slice(runStart, i);
          inQuotes = false;
          afterQuote = true;
          runStart = i + 1;
        } else if (c === LF) line += 1;
        continue;
      }
      if (afterQuote) {
        afterQuote = false;
        if (c === QUOTE) {
          field += '"';
          inQuotes = true;
          runStart = i + 1;
          continue;
        }
      }
      if (c === delimiter) {
        this.record.push(field + text.slice(runStart, i));
        field = '';
        runStart = i + 1;
      } else if (c === LF) {
        this.record.push(field + text.slice(runStart, i));
        field = '';
        runStart = i + 1;
        this.line = line;
        this.endRecord();
        line += 1;
        this.recordStartLine = line;
      } else if (c === CR) {
        field += text.slice(runStart, i);
        runStart = i + 1;
      } else if (c === QUOTE && field === '' && runStart === i) {
        inQuotes = true;
        runStart = i + 1;
      }
    }
    field += text.slice(runStart);
    Object.assign(this, { field, inQuotes, afterQuote, line });
  }

  /** Ends the last record when the text does not end with a newline. */
  end(): void {
    if (this.field !== '' || this.record.length > 0) {
      this.record.push(this.field);
      this.field = '';
      this.endRecord();
    }
  }

  get unclosedQuote(): boolean {
    return this.inQuotes;
  }

  /** Where the record still open began: where to look for an unclosed quote. */
  get openRecordLine(): number {
    return this.recordStartLine;
  }

  private endRecord(): void {
    const record = this.record;
    this.record = [];
    if (record.length === 1 && record[0] === '') return;
    this.onRecord(record, this.recordStartLine);
  }
}
