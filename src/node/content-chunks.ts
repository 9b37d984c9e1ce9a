import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

/** Large reads keep the per-chunk overhead of a content check low. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * A file's content as chunks, decompressed when the name ends in `.gz`.
 * Nothing is kept: memory stays flat whatever the file's size.
 */
export async function* contentChunks(path: string): AsyncGenerator<Uint8Array> {
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  if (!path.endsWith('.gz')) {
    for await (const chunk of file) yield chunk as Buffer;
    return;
  }
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
