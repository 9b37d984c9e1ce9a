import type { ByteRange, FileInfo, Files } from '../../src/engine/ports.js';

interface Entry {
  bytes: Uint8Array;
  mtimeMs: number;
}

function enoent(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, stat '${path}'`), { code: 'ENOENT' });
}

/** Files in memory, read in small chunks so streaming (not slurping) is what gets exercised. */
export class FakeFiles implements Files {
  readonly #entries = new Map<string, Entry>();
  /** How many bytes each read handed out in total, per path. */
  readonly bytesRead = new Map<string, number>();
  /** Called after a read finished: lets a test change the file "during" an upload. */
  onReadDone: ((path: string, readCount: number) => void) | undefined;
  #reads = 0;

  constructor(private readonly chunkSize = 4) {}

  write(path: string, content: string | Uint8Array, mtimeMs = 1_000): void {
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    this.#entries.set(path, { bytes, mtimeMs });
  }

  remove(path: string): void {
    this.#entries.delete(path);
  }

  /** Every file there is, in the order first written. */
  paths(): string[] {
    return [...this.#entries.keys()];
  }

  stat(path: string): Promise<FileInfo> {
    const entry = this.#entries.get(path);
    if (entry === undefined) return Promise.reject(enoent(path));
    return Promise.resolve({ size: entry.bytes.byteLength, mtimeMs: entry.mtimeMs });
  }

  async *read(path: string, signal: AbortSignal, range?: ByteRange): AsyncIterable<Uint8Array> {
    const entry = this.#entries.get(path);
    if (entry === undefined) throw enoent(path);
    const bytes = range === undefined ? entry.bytes : entry.bytes.slice(range.start, range.end);
    for (let offset = 0; offset < bytes.byteLength; offset += this.chunkSize) {
      signal.throwIfAborted();
      // A real read completes later, not synchronously.
      await Promise.resolve();
      const chunk = bytes.slice(offset, offset + this.chunkSize);
      this.bytesRead.set(path, (this.bytesRead.get(path) ?? 0) + chunk.byteLength);
      yield chunk;
    }
    this.#reads += 1;
    this.onReadDone?.(path, this.#reads);
  }
}
