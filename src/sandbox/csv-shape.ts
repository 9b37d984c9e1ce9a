/**
 * Checks the shape of a CSV file as it streams past (RFC 4180: quoted fields may hold
 * commas, quotes and newlines): a header row with named, distinct columns, and every
 * data row with exactly the header's column count. Blank lines are tolerated.
 */
export class CsvShape {
  private inQuotes = false;
  private quoteInQuotes = false;
  private separators = 0;
  private recordLength = 0;
  private fieldLength = 0;
  private field = '';
  private fields: string[] = [];
  private header: string[] | undefined;
  private line = 1;
  private recordLine = 1;
  private rowCount = 0;

  /** Feeds text; returns an error message as soon as the file is known to be bad. */
  push(text: string): string | undefined {
    for (const ch of text) {
      if (this.inQuotes) {
        if (this.quoteInQuotes) {
          this.quoteInQuotes = false;
          if (ch === '"') {
            this.take('"');
            continue;
          }
          this.inQuotes = false;
        } else {
          if (ch === '"') this.quoteInQuotes = true;
          else this.take(ch);
          if (ch === '\n') this.line++;
          continue;
        }
      }
      if (ch === '"' && this.fieldLength === 0) {
        this.inQuotes = true;
        this.fieldLength++;
        this.recordLength++;
      } else if (ch === ',') {
        this.separators++;
        this.recordLength++;
        this.endField();
      } else if (ch === '\n') {
        const error = this.endRecord();
        this.line++;
        this.recordLine = this.line;
        if (error !== undefined) return error;
      } else if (ch !== '\r') {
        this.take(ch);
      }
    }
    return undefined;
  }

  /** Ends the file: the header's column count and the number of data rows, or why it failed. */
  end(): { readonly rows: number; readonly columns: number } | { readonly error: string } {
    if (this.inQuotes && !this.quoteInQuotes) {
      return { error: `unterminated quoted field starting on line ${this.recordLine}` };
    }
    this.inQuotes = false;
    const error = this.endRecord();
    if (error !== undefined) return { error };
    if (this.header === undefined) return { error: 'the file is empty: no header row' };
    return { rows: this.rowCount, columns: this.header.length };
  }

  private take(ch: string): void {
    this.fieldLength++;
    this.recordLength++;
    // Only the header's names are kept; data fields are counted, never stored.
    if (this.header === undefined) this.field += ch;
  }

  private endField(): void {
    if (this.header === undefined) this.fields.push(this.field);
    this.field = '';
    this.fieldLength = 0;
  }

  private endRecord(): string | undefined {
    if (this.recordLength === 0) return undefined;
    this.endField();
    const columns = this.separators + 1;
    this.separators = 0;
    this.recordLength = 0;
    if (this.header === undefined) {
      const names = this.fields.map((name) => name.trim());
      this.fields = [];
      this.header = names;
      const blank = names.findIndex((name) => name === '');
      if (blank !== -1) return `the header row has no name for column ${blank + 1}`;
      const duplicate = names.find((name, i) => names.indexOf(name) !== i);
      if (duplicate !== undefined) return `the header row names column "${duplicate}" twice`;
      return undefined;
    }
    this.rowCount++;
    if (columns !== this.header.length) {
      return `row ${this.rowCount} (line ${this.recordLine}) has ${columns} columns; the header has ${this.header.length}`;
    }
    return undefined;
  }
}
