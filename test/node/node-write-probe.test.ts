import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeWriteProbe } from '../../src/node/node-write-probe.js';

describe('NodeWriteProbe', () => {
  it('reports size and mtime, and an errno for a missing file', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'ferry-probe-')), 'f.csv');
    await writeFile(path, 'hello');
    const probe = new NodeWriteProbe();
    expect(await probe.stat(path)).toMatchObject({ size: 5, mtimeMs: expect.any(Number) as unknown });
    await expect(probe.stat(`${path}.missing`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('never sees a file as held open where the platform cannot tell', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'ferry-probe-')), 'f.csv');
    await writeFile(path, 'hello');
    expect(await new NodeWriteProbe('linux').isHeldOpen(path)).toBe(false);
  });
});
