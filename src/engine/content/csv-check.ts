import {
  describeLines,
  LineTally,
  reportOf,
  type ContentFinding,
  type ContentReport,
} from './content-report.js';
import {
  alignedWords,
  countFlags,
  repeatedByte,
  wordsWithin,
  zeroByteFlags,
  type AlignedWords,
} from './byte-count.js';
import { headerProblems, splitRecord } from './csv-header.js';
import { CANDIDATE_DELIMITERS, sniffDelimiter } from './delimiter-sniffer.js';
import { EncodingCheck } from './encoding-check.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const BOM_LENGTH = 3;

/** Enough of the file to compare its first lines and guess the delimiter. */
const SNIFF_BYTES = 64 * 1024;
/** A header longer than this is not a header; it is not kept whole in memory. */
const MAX_HEADER_BYTES = 1024 * 1024;

function onlyCarriageReturns(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i += 1) if (bytes[i] !== CR) return false;
  return true;
}

function delimiterName(byte: number): string {
  return byte === 0x09 ? 'tab' : `'${String.fromCharCode(byte)}'`;
}

/**
 * Streams a CSV file byte by byte (RFC 4180 quoting, LF or CRLF line ends)
 * and checks it the way the vendor will: a header row with distinct names,
 * every row with the header's number of fields, balanced quotes. Scanning
 * bytes rather than decoded text is safe because UTF-8 never puts an ASCII
 * byte inside a multi-byte character, and it keeps the check fast.
 */
export class CsvCheck {
  private readonly encoding = new EncodingCheck();
  private readonly ragged = new LineTally();
  private readonly badQuotes = new LineTally();
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private delimiter = -1;

  private bytes = 0;
  private line = 1;
  private recordLine = 1;
  private records = 0;
  private fields = 1;
  private recordBytes = 0;
  private fieldBytes = 0;
  private inQuotes = false;
  private afterClosingQuote = false;
  private quoteOpenedOn = 0;
  private columns = 0;
  private header: number[] | undefined = [];
  private headerFindings: ContentFinding[] = [];
  private skipBom = false;

  feed(chunk: Uint8Array): void {
    if (this.delimiter >= 0) {
      this.scan(chunk);
      return;
    }
    // Copied: a chunk may be lent, and the head is kept until there is enough to sniff.
    this.pending.push(chunk.slice());
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= SNIFF_BYTES) this.startScanning();
  }

  end(): ContentReport {
    if (this.delimiter < 0) this.startScanning();
    this.endLastRecord();
    this.encoding.end();
    const findings: (ContentFinding | undefined)[] = [...this.encoding.findings()];
    if (this.records === 0) {
      findings.push({
        code: 'content-empty',
        severity: 'error',
        message: 'the file has no header row and no data',
      });
    }
    findings.push(...this.headerFindings);
    findings.push(
      this.ragged.finding(
        'content-csv-columns',
        'error',
        `${this.ragged.count} row(s) do not have the header's ${this.columns} field(s): line ${describeLines(this.ragged.lines, this.ragged.count)}`,
      ),
    );
    if (this.inQuotes) {
      findings.push({
        code: 'content-csv-quotes',
        severity: 'error',
        message: `the quote opened on line ${this.quoteOpenedOn} is never closed`,
        lines: [this.quoteOpenedOn],
      });
    }
    findings.push(
      this.badQuotes.finding(
        'content-csv-quotes',
        'error',
        `misplaced quote (a quote inside an unquoted field, or text after a closing quote) on line ${describeLines(this.badQuotes.lines, this.badQuotes.count)}`,
      ),
    );
    if (this.delimiter !== CANDIDATE_DELIMITERS[0]) {
      findings.push({
        code: 'content-csv-delimiter',
        severity: 'warning',
        message: `fields are separated by ${delimiterName(this.delimiter)}, not by commas`,
      });
    }
    return reportOf(findings, {
      bytes: this.bytes,
      rows: Math.max(0, this.records - 1),
      columns: this.columns,
      delimiter: String.fromCharCode(this.delimiter),
    });
  }

  private startScanning(): void {
    const head = new Uint8Array(this.pendingBytes);
    let offset = 0;
    for (const part of this.pending) {
      head.set(part, offset);
      offset += part.length;
    }
    this.pending = [];
    this.skipBom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
    this.delimiter = sniffDelimiter(this.skipBom ? head.subarray(BOM_LENGTH) : head);
    this.scan(head);
  }

  /**
   * The hot loop, with the scanner's state in locals (V8 keeps them in registers; fields of
   * `this` it does not), written back at the end. Runs of whole lines that start outside
   * quotes and hold no quote (almost all of a data file) go to `quoteFreeLines`; the next
   * quote and the last newline before it are found by native search. Everything else (the
   * header, quoted fields, a record cut by the chunk's end) goes byte by byte. Rare events
   * (a ragged row, a misplaced quote, the end of the header) call out of the loop.
   */
  private scan(chunk: Uint8Array): void {
    this.encoding.feed(chunk, this.line);
    this.bytes += chunk.length;
    let start = 0;
    if (this.skipBom) {
      this.skipBom = false;
      start = BOM_LENGTH;
    }
    const delimiter = this.delimiter;
    let columns = this.columns;
    const length = chunk.length;
    let { line, recordLine, records, fields, recordBytes, fieldBytes, inQuotes, afterClosingQuote } = this;
    let headerFrom = this.header === undefined ? -1 : start;
    const words = alignedWords(chunk);
    // Where the next quote is (`length` when there is none); looked up again once passed.
    let nextQuote = -1;
    // The byte-by-byte path keeps going up to here: the fast path was refused for this stretch.
    let slowUntil = -1;

    let i = start;
    while (i < length) {
      if (
        i > slowUntil &&
        headerFrom < 0 &&
        recordBytes === 0 &&
        fields === 1 &&
        !inQuotes &&
        !afterClosingQuote
      ) {
        if (nextQuote < i) {
          nextQuote = chunk.indexOf(QUOTE, i);
          if (nextQuote < 0) nextQuote = length;
        }
        // The whole lines before the next quote go at once; the one holding it, byte by byte.
        const lastEnd = nextQuote > i ? chunk.lastIndexOf(LF, nextQuote - 1) : -1;
        if (lastEnd >= i) {
          this.line = line;
          this.records = records;
          this.quoteFreeLines(chunk, words, i, lastEnd + 1);
          line = this.line;
          recordLine = line;
          records = this.records;
          i = lastEnd + 1;
          continue;
        }
        const end = chunk.indexOf(LF, i);
        slowUntil = end < 0 ? length : end;
      }

      const byte = chunk[i] ?? 0;
      i += 1;
      if (inQuotes) {
        if (byte === QUOTE) {
          inQuotes = false;
          afterClosingQuote = true;
        } else if (byte === LF) line += 1;
        continue;
      }
      if (afterClosingQuote) {
        afterClosingQuote = false;
        if (byte === QUOTE) {
          // "" inside a quoted field is an escaped quote: the field goes on.
          inQuotes = true;
          continue;
        }
        if (byte !== delimiter && byte !== LF && byte !== CR) this.badQuotes.add(line);
      }
      if (byte === delimiter) {
        fields += 1;
        fieldBytes = 0;
        recordBytes += 1;
      } else if (byte === LF) {
        if (recordBytes > 0 || fields > 1) {
          if (headerFrom >= 0) {
            this.finishHeader(chunk.subarray(headerFrom, i - 1));
            columns = this.columns;
            headerFrom = -1;
          } else if (fields !== columns) {
            this.ragged.add(recordLine);
          }
          records += 1;
        } else if (headerFrom >= 0) {
          headerFrom = i;
        }
        fields = 1;
        fieldBytes = 0;
        recordBytes = 0;
        line += 1;
        recordLine = line;
      } else if (byte === QUOTE) {
        if (fieldBytes === 0) {
          inQuotes = true;
          this.quoteOpenedOn = line;
        } else this.badQuotes.add(line);
        fieldBytes += 1;
        recordBytes += 1;
      } else if (byte !== CR) {
        fieldBytes += 1;
        recordBytes += 1;
      }
    }

    if (headerFrom >= 0) this.keepHeaderBytes(chunk.subarray(headerFrom));
    Object.assign(this, {
      line,
      recordLine,
      records,
      fields,
      recordBytes,
      fieldBytes,
      inQuotes,
      afterClosingQuote,
    });
  }

  /**
   * Counts the records of `chunk[from .. to)`: whole lines (`to - 1` is a newline) with no
   * quote, starting at a record's start. Four bytes at a time: a word without a newline only
   * adds its delimiters; a word with one is taken byte by byte. A line with no delimiter is
   * a record unless it holds nothing but carriage returns (a blank line).
   */
  private quoteFreeLines(chunk: Uint8Array, aligned: AlignedWords, from: number, to: number): void {
    const delimiter = this.delimiter;
    const columns = this.columns;
    const delimiters = repeatedByte(delimiter);
    const newlines = repeatedByte(LF);
    const { words, head } = aligned;
    let { line, records } = this;
    let found = 0;
    let lineStart = from;
    const [firstWord, endWord] = wordsWithin(aligned, from, to);
    const wordsFrom = firstWord < endWord ? head + firstWord * 4 : to;
    const wordsTo = firstWord < endWord ? head + endWord * 4 : to;

    let at = from;
    while (at < to) {
      let stop: number;
      // Inside the words `at` is always a word's first byte: it enters at `wordsFrom` and moves by four.
      if (at >= wordsFrom && at < wordsTo) {
        // The words up to the next one holding a newline only add their delimiters.
        let w = (at - head) >>> 2;
        for (; w < endWord; w += 1) {
          const word = words[w] ?? 0;
          if (zeroByteFlags(word ^ newlines) !== 0) break;
          found += countFlags(zeroByteFlags(word ^ delimiters));
        }
        at = head + w * 4;
        if (w === endWord) continue;
        stop = at + 4;
      } else {
        stop = at < wordsFrom ? wordsFrom : to;
      }
      // Byte by byte: before and after the whole words, and through a word holding a newline.
      for (; at < stop; at += 1) {
        const byte = chunk[at];
        if (byte === delimiter) found += 1;
        else if (byte === LF) {
          if (found > 0 || !onlyCarriageReturns(chunk, lineStart, at)) {
            if (found + 1 !== columns) this.ragged.add(line);
            records += 1;
          }
          line += 1;
          found = 0;
          lineStart = at + 1;
        }
      }
    }
    this.line = line;
    this.records = records;
  }

  /** Keeps (up to a limit) the bytes of a header row that goes on into the next chunk. */
  private keepHeaderBytes(bytes: Uint8Array): void {
    if (this.header === undefined) return;
    const room = Math.max(0, MAX_HEADER_BYTES - this.header.length);
    for (const byte of bytes.subarray(0, room)) this.header.push(byte);
  }

  private finishHeader(lastBytes: Uint8Array): void {
    this.keepHeaderBytes(lastBytes);
    const text = new TextDecoder().decode(Uint8Array.from(this.header ?? []));
    this.header = undefined;
    const names = splitRecord(text, String.fromCharCode(this.delimiter));
    this.columns = names.length;
    this.headerFindings = headerProblems(names);
  }

  /** A last record without a final newline ends as if it had one. */
  private endLastRecord(): void {
    if (this.recordBytes === 0 && this.fields === 1) return;
    this.scan(Uint8Array.of(LF));
    this.bytes -= 1;
  }
}
