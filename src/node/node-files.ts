import { stat } from 'node:fs/promises';
import type { ByteRange, FileInfo, Files } from '../engine/ports.js';
import { lentChunks } from './lent-chunks.js';

export const nodeFiles: Files = {
  async stat(path: string): Promise<FileInfo> {
    const info = await stat(path);
    if (!info.isFile()) {
      throw Object.assign(new Error(`not a regular file: ${path}`), { code: 'EISDIR' });
    }
    return { size: info.size, mtimeMs: info.mtimeMs };
  },
  read(path: string, signal: AbortSignal, range?: ByteRange): AsyncIterable<Uint8Array> {
    return lentChunks(path, { signal, ...range });
  },
};
