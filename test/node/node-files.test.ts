import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDeliveryError } from '../../src/engine/delivery-error.js';
import { nodeFiles } from '../../src/node/node-files.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-files-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('nodeFiles', () => {
  it('stats a file and streams its bytes in bounded chunks', async () => {
    const path = join(dir, 'big.csv');
    const data = Buffer.alloc(2.5 * 1024 * 1024, 65);
    await writeFile(path, data);
    const info = await nodeFiles.stat(path);
    expect(info.size).toBe(data.length);
    expect(info.mtimeMs).toBeGreaterThan(0);
    const sizes: number[] = [];
    for await (const chunk of nodeFiles.read(path, new AbortController().signal))
      sizes.push(chunk.byteLength);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(data.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1024 * 1024);
    expect(sizes.length).toBeGreaterThan(1);
  });

  it('fails with errno codes the engine reads as file errors', async () => {
    await expect(nodeFiles.stat(join(dir, 'missing.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
    const error: unknown = await nodeFiles.stat(dir).catch((e: unknown) => e);
    expect(toDeliveryError(error).kind).toBe('file');
  });

  it('stops reading when the signal aborts', async () => {
    const path = join(dir, 'abort.csv');
    await writeFile(path, Buffer.alloc(4 * 1024 * 1024));
    const controller = new AbortController();
    let chunks = 0;
    const reading = (async () => {
      for await (const chunk of nodeFiles.read(path, controller.signal)) {
        chunks += chunk.byteLength > 0 ? 1 : 0;
        controller.abort(new Error('stop'));
      }
    })();
    await expect(reading).rejects.toThrow();
    expect(chunks).toBe(1);
  });
});
