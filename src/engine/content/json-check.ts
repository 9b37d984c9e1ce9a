import { JSONParser } from '@streamparser/json';
import { reportOf, type ContentFinding, type ContentReport } from './content-report.js';
import { EncodingCheck } from './encoding-check.js';
import { withoutBom } from './utf8.js';

const LF = 0x0a;

function hasContent(bytes: Uint8Array): boolean {
  return bytes.some((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
}

/**
 * Checks that a JSON document parses, streamed: values are not kept, so a
 * 5 GB array of records is checked in flat memory. The bytes are handed to
 * the parser a line at a time so a syntax error can name its line.
 */
export class JsonCheck {
  private readonly encoding = new EncodingCheck();
  private readonly parser = new JSONParser({ paths: ['$.*'], keepStack: false });
  private line = 1;
  private bytes = 0;
  private items = 0;
  private sawContent = false;
  private error: ContentFinding | undefined;

  constructor() {
    this.parser.onValue = () => {
      this.items += 1;
    };
    // The parser reports through onError; feed() and end() turn that into a finding.
    this.parser.onError = (error: Error) => {
      throw error;
    };
  }

  feed(received: Uint8Array): void {
    this.encoding.feed(received, this.line);
    // The encoding check reports a byte-order mark; the parser would choke on it.
    const chunk = this.bytes === 0 ? withoutBom(received) : received;
    this.bytes += received.length;
    if (this.error !== undefined) return;
    let start = 0;
    for (let end = chunk.indexOf(LF); start < chunk.length; end = chunk.indexOf(LF, start)) {
      const stop = end < 0 ? chunk.length : end + 1;
      if (!this.write(chunk.subarray(start, stop))) return;
      if (end >= 0) this.line += 1;
      start = stop;
    }
  }

  end(): ContentReport {
    this.encoding.end();
    if (this.error === undefined && !this.sawContent) {
      this.error = { code: 'content-empty', severity: 'error', message: 'the file holds no JSON' };
    } else if (this.error === undefined && !this.parser.isEnded) {
      this.attempt(() => {
        this.parser.end();
      }, 'the JSON document is cut off before its end');
    }
    return reportOf([...this.encoding.findings(), this.error], { bytes: this.bytes, rows: this.items });
  }

  /** Feeds the parser; false once the document is known to be broken. */
  private write(bytes: Uint8Array): boolean {
    if (!this.sawContent && hasContent(bytes)) this.sawContent = true;
    if (this.parser.isEnded) {
      if (hasContent(bytes)) {
        this.error = {
          code: 'content-json',
          severity: 'error',
          message: `unexpected text after the JSON document on line ${this.line}`,
          lines: [this.line],
        };
        return false;
      }
      return true;
    }
    return this.attempt(() => {
      this.parser.write(bytes);
    }, undefined);
  }

  /** Runs a parser call; a parse error becomes the report's finding. */
  private attempt(action: () => void, message: string | undefined): boolean {
    try {
      action();
      return true;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.error = {
        code: 'content-json',
        severity: 'error',
        message: message ?? `invalid JSON on line ${this.line}: ${detail}`,
        lines: [this.line],
      };
      return false;
    }
  }
}
