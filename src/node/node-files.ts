import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ByteRange, FileInfo, Files } from '../engine/ports.js';

/** Large enough to keep syscalls few, small enough that memory stays flat whatever the file size. */
const READ_CHUNK = 1024 * 1024;

export const nodeFiles: Files = {
  async stat(path: string): Promise<FileInfo> {
    const info = await stat(path);
    if (!info.isFile()) {
      throw Object.assign(new Error(`not a regular file: ${path}`), { code: 'EISDIR' });
    }
    return { size: info.size, mtimeMs: info.mtimeMs };
  },
  read(path: string, signal: AbortSignal, range?: ByteRange): AsyncIterable<Uint8Array> {
    // Node's `end` is inclusive; the port's is exclusive. An empty range must read nothing,
    // which Node cannot express (end < start reads to the end of the file).
    if (range !== undefined && range.end <= range.start)
      return Readable.from([]) as AsyncIterable<Uint8Array>;
    return createReadStream(path, {
      highWaterMark: READ_CHUNK,
      signal,
      ...(range === undefined ? {} : { start: range.start, end: range.end - 1 }),
    }) as AsyncIterable<Uint8Array>;
  },
};
