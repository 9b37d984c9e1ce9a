import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { CHUNK_BYTES, lentChunks } from './lent-chunks.js';

/**
 * A file's content as chunks, decompressed when the name ends in `.gz`. Chunks are lent
 * (valid until the next is pulled; see lentChunks): memory stays flat whatever the file's size.
 */
export async function* contentChunks(path: string): AsyncGenerator<Uint8Array> {
  if (!path.endsWith('.gz')) {
    yield* lentChunks(path);
    return;
  }
  // zlib holds what it is written until it has inflated it: no lent buffers here.
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  const piped = pipeline(file, gunzip);
  // A read or gzip error also surfaces through the loop below; this keeps it from being unhandled.
  piped.catch(() => undefined);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
    await piped;
  } finally {
    file.destroy();
    gunzip.destroy();
  }
}
