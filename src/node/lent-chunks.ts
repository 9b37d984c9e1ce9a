import { open, type FileHandle } from 'node:fs/promises';

/** Large enough to keep syscalls few; two of them are all the memory one read holds. */
export const CHUNK_BYTES = 1024 * 1024;

export interface LentChunkOptions {
  /** Checked between chunks: an abort rejects the next pull with `signal.reason`. */
  readonly signal?: AbortSignal;
  /** The first byte to read (inclusive). */
  readonly start?: number;
  /** Where to stop (exclusive); the end of the file when not given. */
  readonly end?: number;
  readonly chunkBytes?: number;
}

const ignore = (): void => undefined;

/**
 * Chunk buffers between reads: a multipart upload opens a reader per part and the agent one per
 * pass over each file, and fresh buffers for each would pile up until a collection as single
 * chunks did. Enough for four parts in flight; at most this many MiB are kept when idle.
 */
const SPARE_LIMIT = 8;
const spares: Buffer[] = [];

function borrow(size: number): Buffer {
  return (size === CHUNK_BYTES ? spares.pop() : undefined) ?? Buffer.allocUnsafeSlow(size);
}

function giveBack(buffer: Buffer): void {
  if (buffer.length === CHUNK_BYTES && spares.length < SPARE_LIMIT) spares.push(buffer);
}

/**
 * Buffers no larger than what there is to read: a 10 KiB file needs no 1 MiB buffers (the agent
 * reads many small files at once). A file that grows meanwhile is still read to its end.
 */
async function bufferSize(
  handle: FileHandle,
  start: number,
  end: number,
  chunkBytes: number,
): Promise<number> {
  if (Number.isFinite(end)) return Math.min(chunkBytes, end - start);
  const info = await handle.stat();
  // A pipe or a device has no size to go by.
  if (!info.isFile()) return chunkBytes;
  return Math.max(1, Math.min(chunkBytes, info.size - start));
}

/**
 * A file's bytes in chunks that are **lent**: a chunk stays valid only until the next one is
 * asked for, when its buffer is filled again. Two buffers are taken in turn, so the next
 * chunk is read from disk while the consumer still works on this one.
 *
 * Why not a read stream: it hands out a fresh buffer per chunk, and V8 frees those only when
 * a collection happens to run, which with little other garbage about means tens of MiB of
 * spent chunks at a time. Reading into the same two buffers keeps a read of any size at two
 * chunks. A consumer that must keep bytes past the next pull copies them; once the iteration
 * ends, the buffers go to the next reader.
 */
export async function* lentChunks(path: string, options: LentChunkOptions = {}): AsyncGenerator<Uint8Array> {
  const { signal } = options;
  signal?.throwIfAborted();
  const end = options.end ?? Number.POSITIVE_INFINITY;
  let position = options.start ?? 0;
  if (end <= position) return;
  // Reads one after another: without a start, from where the last left off, which a pipe
  // allows too; with one, at the offset (a multipart part).
  const positioned = options.start !== undefined;
  const handle = await open(path, 'r');
  const size = await bufferSize(handle, position, end, options.chunkBytes ?? CHUNK_BYTES);
  const readInto = async (buffer: Buffer): Promise<Uint8Array> => {
    const length = Math.min(buffer.length, end - position);
    if (length <= 0) return buffer.subarray(0, 0);
    const { bytesRead } = await handle.read(buffer, 0, length, positioned ? position : null);
    position += bytesRead;
    return buffer.subarray(0, bytesRead);
  };
  let filling = borrow(size);
  let spare = borrow(size);
  let ahead = readInto(filling);
  // A failed read-ahead is reported when its chunk is pulled, not as an unhandled rejection
  // while the consumer is still busy with the chunk before it.
  ahead.catch(ignore);
  try {
    for (;;) {
      const chunk = await ahead;
      signal?.throwIfAborted();
      if (chunk.length === 0) return;
      [filling, spare] = [spare, filling];
      ahead = readInto(filling);
      ahead.catch(ignore);
      yield chunk;
    }
  } finally {
    // The read in flight must end before its handle closes under it, or its buffer is reused.
    await ahead.catch(ignore);
    await handle.close();
    giveBack(filling);
    giveBack(spare);
  }
}
