import type { BandwidthLimiter } from './bandwidth-limiter.js';
import type { ByteRange, Files } from './ports.js';

/**
 * The Files port with every read paced by the shared limiter: what is read is what is
 * uploaded (reads for hashing and content checks do not go through this port), so pacing
 * reads caps the upload rate of every profile, single PUT, form and multipart alike.
 */
export function throttledFiles(files: Files, limiter: BandwidthLimiter): Files {
  return {
    stat: (path) => files.stat(path),
    read: (path: string, signal: AbortSignal, range?: ByteRange) =>
      paced(files.read(path, signal, range), limiter, signal),
  };
}

async function* paced(
  chunks: AsyncIterable<Uint8Array>,
  limiter: BandwidthLimiter,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const slice = limiter.sliceBytes;
  for await (const chunk of chunks) {
    for (let offset = 0; offset < chunk.length; offset += slice) {
      const piece = chunk.subarray(offset, offset + slice);
      await limiter.take(piece.length, signal);
      yield piece;
    }
  }
}
