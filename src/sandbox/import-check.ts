import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { CsvShape } from './csv-shape.js';
import type { ImportStatistics } from './sandbox-state.js';

/** The file types the analytics API imports. JSON is taken in its line-delimited form. */
export const IMPORT_TYPES = ['csv', 'json', 'ndjson'] as const;
export type ImportType = (typeof IMPORT_TYPES)[number];

export function isImportType(value: unknown): value is ImportType {
  return typeof value === 'string' && (IMPORT_TYPES as readonly string[]).includes(value);
}

export type ImportOutcome =
  | { readonly ok: true; readonly statistics: ImportStatistics }
  | { readonly ok: false; readonly error: string };

/** Line-delimited JSON: every non-blank line one object; columns = distinct keys seen. */
class NdjsonShape {
  private pending = '';
  private rows = 0;
  private line = 0;
  private readonly keys = new Set<string>();

  push(text: string): string | undefined {
    const lines = (this.pending + text).split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) {
      const error = this.check(line);
      if (error !== undefined) return error;
    }
    return undefined;
  }

  end(): { readonly rows: number; readonly columns: number } | { readonly error: string } {
    const error = this.check(this.pending);
    if (error !== undefined) return { error };
    if (this.rows === 0) return { error: 'the file holds no records' };
    return { rows: this.rows, columns: this.keys.size };
  }

  private check(line: string): string | undefined {
    this.line++;
    if (line.trim() === '') return undefined;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return `line ${this.line} is not valid JSON`;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return `line ${this.line} is not a JSON object`;
    }
    this.rows++;
    for (const key of Object.keys(value)) this.keys.add(key);
    return undefined;
  }
}

/** Validates an arrived file the way the analytics vendor's import does, streaming it. */
export async function checkImport(
  body: Readable,
  type: ImportType,
  gzipped: boolean,
): Promise<ImportOutcome> {
  const shape = type === 'csv' ? new CsvShape() : new NdjsonShape();
  const source = gzipped ? body.pipe(createGunzip()) : body;
  const decoder = new StringDecoder('utf8');
  let bytes = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      const error = shape.push(decoder.write(chunk));
      if (error !== undefined) {
        body.destroy();
        return { ok: false, error };
      }
    }
  } catch (error) {
    return { ok: false, error: `the file could not be read: ${(error as Error).message}` };
  }
  const tail = shape.push(decoder.end());
  if (tail !== undefined) return { ok: false, error: tail };
  const result = shape.end();
  if ('error' in result) return { ok: false, error: result.error };
  return { ok: true, statistics: { rows: result.rows, columns: result.columns, bytes } };
}
