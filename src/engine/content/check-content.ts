import { reportOf, type ContentReport } from './content-report.js';
import { CsvCheck } from './csv-check.js';
import { JsonCheck } from './json-check.js';
import { NdjsonCheck, type NdjsonOptions } from './ndjson-check.js';

export type ContentFormat = 'csv' | 'json' | 'ndjson';

export type ContentOptions = NdjsonOptions;

/**
 * A format's check: fed the file's (decompressed) bytes in order, then asked for its report.
 * A chunk is valid only during its `feed` (readers lend their buffers): what is kept is copied.
 */
export interface ContentCheck {
  feed(chunk: Uint8Array): void;
  end(): ContentReport;
}

/** The format an extension such as `csv` or `ndjson.gz` holds, or undefined for one Ferry cannot check. */
export function contentFormat(ext: string): ContentFormat | undefined {
  const base = ext.replace(/\.gz$/, '');
  return base === 'csv' || base === 'json' || base === 'ndjson' ? base : undefined;
}

export function contentCheck(format: ContentFormat, options: ContentOptions = {}): ContentCheck {
  switch (format) {
    case 'csv':
      return new CsvCheck();
    case 'json':
      return new JsonCheck();
    case 'ndjson':
      return new NdjsonCheck(options);
  }
}

/**
 * Checks a file's contents as they stream past; the chunks are not kept. A
 * file that cannot be read to its end (gone, locked, a corrupt .gz) cannot be
 * delivered either, so that is a finding too; an abort is passed on.
 */
export async function checkContent(
  format: ContentFormat,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ContentOptions = {},
): Promise<ContentReport> {
  const check = contentCheck(format, options);
  try {
    for await (const chunk of chunks) check.feed(chunk);
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') throw error;
    const message = error instanceof Error ? error.message : String(error);
    return reportOf(
      [{ code: 'content-unreadable', severity: 'error', message: `the file could not be read: ${message}` }],
      { bytes: 0, rows: 0 },
    );
  }
  return check.end();
}
