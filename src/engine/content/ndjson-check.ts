import {
  describeLines,
  LineTally,
  reportOf,
  type ContentFinding,
  type ContentReport,
} from './content-report.js';
import { EncodingCheck } from './encoding-check.js';

/** Longest line kept, in characters: longer ones are reported, not held in memory. */
export const MAX_LINE_LENGTH = 64 * 1024 * 1024;

const DECODE_SLICE = 64 * 1024;

export interface NdjsonOptions {
  /** Keys every record must have, e.g. a record type's id field. */
  readonly requiredKeys?: readonly string[];
  readonly maxLineLength?: number;
}

/**
 * Checks that every non-empty line is one JSON object, with the required keys.
 * Lines are cut from decoded text with native string search and parsed with
 * JSON.parse: a byte loop in JavaScript would be several times slower. Only
 * the unfinished last line is carried from one chunk to the next, and a line
 * longer than the limit is dropped as it arrives, so memory stays flat.
 */
export class NdjsonCheck {
  private readonly encoding = new EncodingCheck();
  private readonly notObject = new LineTally();
  private readonly missingKeys = new LineTally();
  private readonly overlong = new LineTally();
  private readonly missing = new Set<string>();
  private readonly decoder = new TextDecoder();
  private readonly maxLineLength: number;
  private tail = '';
  private skippingOverlong = false;
  private line = 0;
  private records = 0;
  private bytes = 0;
  private firstError = '';

  constructor(private readonly options: NdjsonOptions = {}) {
    this.maxLineLength = options.maxLineLength ?? MAX_LINE_LENGTH;
  }

  feed(chunk: Uint8Array): void {
    this.encoding.feed(chunk, this.line + 1);
    this.bytes += chunk.length;
    // In slices: a string the size of a whole chunk outlives many young-generation collections
    // (its lines point into it), and what outlives them makes V8 grow that generation for good.
    for (let at = 0; at < chunk.length; at += DECODE_SLICE) {
      this.take(this.decoder.decode(chunk.subarray(at, at + DECODE_SLICE), { stream: true }));
    }
  }

  end(): ContentReport {
    this.take(this.decoder.decode());
    if (this.tail !== '' || this.skippingOverlong) this.finishLine(this.tail);
    this.encoding.end();
    const findings: (ContentFinding | undefined)[] = [
      ...this.encoding.findings(),
      this.records === 0 && this.notObject.count === 0
        ? { code: 'content-empty', severity: 'error', message: 'the file holds no records' }
        : undefined,
      this.notObject.finding(
        'content-ndjson',
        'error',
        `${this.notObject.count} line(s) are not a JSON object: line ${describeLines(this.notObject.lines, this.notObject.count)} (first: ${this.firstError})`,
      ),
      this.missingKeys.finding(
        'content-ndjson-keys',
        'error',
        `${this.missingKeys.count} record(s) lack the required key(s) ${[...this.missing].map((k) => `'${k}'`).join(', ')}: line ${describeLines(this.missingKeys.lines, this.missingKeys.count)}`,
      ),
      this.overlong.finding(
        'content-line-too-long',
        'error',
        `line ${describeLines(this.overlong.lines, this.overlong.count)} is longer than ${Math.round((this.options.maxLineLength ?? MAX_LINE_LENGTH) / 1024 / 1024)} Mi characters`,
      ),
    ];
    return reportOf(findings, { bytes: this.bytes, rows: this.records });
  }

  private take(text: string): void {
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      this.finishLine(start === 0 ? this.tail + text.slice(0, end) : text.slice(start, end));
      this.tail = '';
      start = end + 1;
    }
    const rest = start === 0 ? this.tail + text : text.slice(start);
    if (this.skippingOverlong || rest.length > this.maxLineLength) {
      this.skippingOverlong = true;
      this.tail = '';
    } else {
      this.tail = rest;
    }
  }

  private finishLine(text: string): void {
    this.line += 1;
    if (this.skippingOverlong || text.length > this.maxLineLength) {
      this.skippingOverlong = false;
      this.overlong.add(this.line);
      return;
    }
    this.checkLine(text.replace(/^\uFEFF/, '').trim(), this.line);
  }

  private checkLine(text: string, line: number): void {
    if (text === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.rejectLine(line, error instanceof Error ? error.message : 'not JSON');
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.rejectLine(
        line,
        `${Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'null' : `a ${typeof value}`}, not an object`,
      );
      return;
    }
    this.records += 1;
    const absent = (this.options.requiredKeys ?? []).filter((key) => !(key in value));
    if (absent.length > 0) {
      absent.forEach((key) => this.missing.add(key));
      this.missingKeys.add(line);
    }
  }

  private rejectLine(line: number, why: string): void {
    if (this.notObject.count === 0) this.firstError = `line ${line}: ${why}`;
    this.notObject.add(line);
  }
}
