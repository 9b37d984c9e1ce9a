import { randomBytes } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lentChunks } from '../../src/node/lent-chunks.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('lent-chunks');

async function fileOf(bytes: Buffer): Promise<string> {
  const path = join(await tempDir(), 'f.bin');
  await writeFile(path, bytes);
  return path;
}

const openFiles = async () => (await readdir('/proc/self/fd')).length;

describe('lentChunks', () => {
  it('reads every byte in order, lending the same two buffers in turn', async () => {
    const bytes = randomBytes(10_500);
    const path = await fileOf(bytes);
    const copies: Buffer[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for await (const chunk of lentChunks(path, { chunkBytes: 1000 })) {
      copies.push(Buffer.from(chunk));
      buffers.add(chunk.buffer);
    }
    expect(Buffer.concat(copies).equals(bytes)).toBe(true);
    expect(copies.map((c) => c.length)).toEqual([...Array<number>(10).fill(1000), 500]);
    expect(buffers.size).toBe(2);
  });

  it('hands its buffers to the next reader once an iteration ends', async () => {
    const path = await fileOf(randomBytes(3 * 1024 * 1024));
    const buffersOf = async () => {
      const buffers = new Set<ArrayBufferLike>();
      for await (const chunk of lentChunks(path)) buffers.add(chunk.buffer);
      return buffers;
    };
    const first = await buffersOf();
    const second = await buffersOf();
    expect(first.size).toBe(2);
    expect([...second].every((buffer) => first.has(buffer))).toBe(true);
  });

  it('reads a range: from start up to, not including, end', async () => {
    const bytes = randomBytes(5000);
    const path = await fileOf(bytes);
    const copies: Buffer[] = [];
    for await (const chunk of lentChunks(path, { start: 700, end: 4321, chunkBytes: 1024 }))
      copies.push(Buffer.from(chunk));
    expect(Buffer.concat(copies).equals(bytes.subarray(700, 4321))).toBe(true);
    const none: Uint8Array[] = [];
    for await (const chunk of lentChunks(path, { start: 10, end: 10 })) none.push(chunk);
    expect(none).toEqual([]);
  });

  it('closes the file when the consumer stops early or the read fails', async () => {
    const path = await fileOf(randomBytes(8000));
    const before = await openFiles();
    for await (const chunk of lentChunks(path, { chunkBytes: 1000 })) {
      expect(chunk.length).toBe(1000);
      break;
    }
    expect(await openFiles()).toBe(before);
    const controller = new AbortController();
    const reason = new Error('paused');
    const reading = (async () => {
      for await (const chunk of lentChunks(path, { chunkBytes: 1000, signal: controller.signal })) {
        expect(chunk.length).toBe(1000);
        controller.abort(reason);
      }
    })();
    await expect(reading).rejects.toBe(reason);
    expect(await openFiles()).toBe(before);
  });

  it('fails with the errno code of a file that cannot be opened', async () => {
    const reading = (async () => {
      for await (const chunk of lentChunks(join(await tempDir(), 'missing.csv')))
        expect(chunk).toBeUndefined();
    })();
    await expect(reading).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
