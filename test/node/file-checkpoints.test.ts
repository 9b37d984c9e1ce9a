import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MultipartCheckpoint } from '../../src/engine/ports.js';
import {
  CHECKPOINT_FOLDER,
  fileCheckpoints,
  fileGrants,
  GRANT_FOLDER,
} from '../../src/node/file-checkpoints.js';
import { nodeFiles } from '../../src/node/node-files.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('checkpoints');

const CHECKPOINT: MultipartCheckpoint = {
  uploadId: 'up-1',
  remoteId: '9',
  partSize: 5 * 1024 * 1024,
  size: 12 * 1024 * 1024,
  mtimeMs: 1_700_000_000_123.5,
  parts: [{ partNumber: 2, etag: 'abc', size: 5 * 1024 * 1024 }],
};

describe('fileCheckpoints', () => {
  it('saves, loads and clears a checkpoint per key, in a private folder of the state dir', async () => {
    const dir = await tempDir();
    const store = fileCheckpoints(dir);
    expect(await store.load('t\n/a.csv')).toBeUndefined();
    await store.save('t\n/a.csv', CHECKPOINT);
    await store.save('t\n/b.csv', { ...CHECKPOINT, uploadId: 'up-2' });
    expect(await store.load('t\n/a.csv')).toEqual(CHECKPOINT);
    expect((await store.load('t\n/b.csv'))?.uploadId).toBe('up-2');
    expect((await stat(join(dir, CHECKPOINT_FOLDER))).mode & 0o777).toBe(0o700);
    await store.clear('t\n/a.csv');
    expect(await store.load('t\n/a.csv')).toBeUndefined();
    expect(await readdir(join(dir, CHECKPOINT_FOLDER))).toHaveLength(1);
  });

  it('treats a damaged checkpoint as none, so the upload starts over instead of failing', async () => {
    const dir = await tempDir();
    const store = fileCheckpoints(dir);
    await store.save('k', CHECKPOINT);
    const [name = ''] = await readdir(join(dir, CHECKPOINT_FOLDER));
    await writeFile(join(dir, CHECKPOINT_FOLDER, name), '{"uploadId": "up-1", "par');
    expect(await store.load('k')).toBeUndefined();
    await writeFile(join(dir, CHECKPOINT_FOLDER, name), '{"uploadId": 5}');
    expect(await store.load('k')).toBeUndefined();
  });
});

describe('fileGrants', () => {
  it('keeps a granted URL across a restart (a new store on the same dir) until it is cleared', async () => {
    const dir = await tempDir();
    const grant = {
      remoteId: '42',
      url: 'https://s3.example/b/k?X-Amz-Signature=abc',
      endpoint: 'https://api.example/v1/uploads',
    };
    await fileGrants(dir).save('t\n/a.csv\na.csv', grant);
    const reopened = fileGrants(dir);
    expect(await reopened.load('t\n/a.csv\na.csv')).toEqual(grant);
    expect(await reopened.load('t\n/b.csv\nb.csv')).toBeUndefined();
    expect((await stat(join(dir, GRANT_FOLDER))).mode & 0o777).toBe(0o700);
    await reopened.clear('t\n/a.csv\na.csv');
    expect(await fileGrants(dir).load('t\n/a.csv\na.csv')).toBeUndefined();
  });

  it('treats a damaged grant as none: a fresh URL is asked for instead', async () => {
    const dir = await tempDir();
    await fileGrants(dir).save('k', { remoteId: '1', url: 'https://x', endpoint: 'https://api' });
    const [name = ''] = await readdir(join(dir, GRANT_FOLDER));
    await writeFile(join(dir, GRANT_FOLDER, name), '{"remoteId": "1"}');
    expect(await fileGrants(dir).load('k')).toBeUndefined();
    // Saved before grants named the endpoint that granted them: not to be trusted as this target's.
    await writeFile(join(dir, GRANT_FOLDER, name), '{"remoteId": "1", "url": "https://x"}');
    expect(await fileGrants(dir).load('k')).toBeUndefined();
  });
});

describe('nodeFiles.read with a range', () => {
  it('reads exactly the bytes from start up to end, and nothing for an empty range', async () => {
    const dir = await tempDir();
    const path = join(dir, 'f.bin');
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
    await writeFile(path, bytes);
    const read = async (start: number, end: number) => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of nodeFiles.read(path, new AbortController().signal, { start, end }))
        chunks.push(Buffer.from(chunk));
      return Buffer.concat(chunks);
    };
    expect((await read(100, 2100)).equals(bytes.subarray(100, 2100))).toBe(true);
    expect((await read(2999, 3000)).equals(bytes.subarray(2999))).toBe(true);
    expect(await read(500, 500)).toHaveLength(0);
  });
});
