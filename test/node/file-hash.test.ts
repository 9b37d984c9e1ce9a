import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256File } from '../../src/node/file-hash.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('file-hash');

describe('sha256File', () => {
  it('hashes a file many stream chunks long', async () => {
    // 64 KiB is the file stream's chunk size; an odd length leaves a partial last chunk.
    const bytes = randomBytes(5 * 64 * 1024 + 123);
    const path = join(await tempDir(), 'big.csv');
    await writeFile(path, bytes);
    expect(await sha256File(path)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('hashes an empty file', async () => {
    const path = join(await tempDir(), 'empty.csv');
    await writeFile(path, '');
    expect(await sha256File(path)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('rejects with ENOENT for a missing file', async () => {
    await expect(sha256File(join(await tempDir(), 'missing.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects with the abort reason when aborted before it starts', async () => {
    const path = join(await tempDir(), 'a.csv');
    await writeFile(path, 'a');
    const reason = new Error('paused');
    await expect(sha256File(path, AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('stops reading and rejects with the abort reason when aborted midway', async () => {
    // A FIFO whose writer stays open: the read is truly under way, waiting for bytes that never come.
    const path = join(await tempDir(), 'pipe');
    execFileSync('mkfifo', [path]);
    const controller = new AbortController();
    const hashing = sha256File(path, controller.signal);
    const writer = await open(path, 'w');
    try {
      await writer.write(randomBytes(1024));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const reason = new Error('paused');
      controller.abort(reason);
      await expect(hashing).rejects.toBe(reason);
    } finally {
      await writer.close();
    }
  });
});
