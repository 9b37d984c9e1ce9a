import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FileInfo, Files } from '../engine/ports.js';

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
  read(path: string, signal: AbortSignal): AsyncIterable<Uint8Array> {
    return createReadStream(path, { highWaterMark: READ_CHUNK, signal }) as AsyncIterable<Uint8Array>;
  },
};
