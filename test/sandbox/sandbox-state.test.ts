import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateStore } from '../../src/sandbox/sandbox-state.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('sandbox-state');

async function onDisk(dir: string): Promise<{ nextId: number }> {
  return JSON.parse(await readFile(join(dir, 'sandbox-state.json'), 'utf8')) as { nextId: number };
}

describe('the sandbox state store', () => {
  it('resolves each save once the state as it was then is on disk, however many come at once', async () => {
    const dir = await tempDir();
    const store = await StateStore.open(dir);
    const checks: Promise<void>[] = [];
    for (let i = 0; i < 200; i += 1) {
      const id = store.nextId();
      checks.push(
        store.save().then(async () => {
          expect((await onDisk(dir)).nextId).toBeGreaterThan(id);
        }),
      );
      // Some saves come while a write is under way, some together.
      if (i % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(checks);
    expect((await onDisk(dir)).nextId).toBe(201);
  });

  it('writes a burst of saves in far fewer writes than saves', async () => {
    const dir = await tempDir();
    const store = await StateStore.open(dir);
    const saves = Array.from({ length: 100 }, () => store.save());
    await Promise.all(saves);
    expect(store.writes).toBeLessThanOrEqual(2);
  });
});
