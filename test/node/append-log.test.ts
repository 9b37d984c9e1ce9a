import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppendLog, AppendLogBrokenError, AppendLogClosedError } from '../../src/node/append-log.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('append-log');

describe('AppendLog', () => {
  it('creates the file and appends lines after what it already holds, in call order', async () => {
    const dir = await tempDir();
    const path = join(dir, 'log');
    const first = await AppendLog.open(path);
    await first.append('one', false);
    await first.close();
    const log = await AppendLog.open(path);
    await Promise.all(Array.from({ length: 500 }, (_, i) => log.append(`line ${i}`, i % 7 === 0)));
    await log.close();
    expect(await readFile(path, 'utf8')).toBe(
      ['one', ...Array.from({ length: 500 }, (_, i) => `line ${i}`)].map((line) => `${line}\n`).join(''),
    );
  });

  it('writes everything queued before close resolves, and refuses appends after it', async () => {
    const dir = await tempDir();
    const path = join(dir, 'log');
    const log = await AppendLog.open(path);
    const pending = [log.append('a', false), log.append('b', true)];
    await log.close();
    await Promise.all(pending);
    expect(await readFile(path, 'utf8')).toBe('a\nb\n');
    await expect(log.append('c', false)).rejects.toBeInstanceOf(AppendLogClosedError);
  });

  it('rejects every append a failed write held, and refuses more when it cannot cut the file back', async () => {
    // /dev/full fails every write with ENOSPC, and cannot be truncated: a disk in real trouble.
    const log = await AppendLog.open('/dev/full');
    const [first, queuedBehind] = await Promise.allSettled([log.append('a', false), log.append('b', true)]);
    expect(first).toEqual({
      status: 'rejected',
      reason: expect.objectContaining({ code: 'ENOSPC' }) as unknown,
    });
    expect(queuedBehind).toEqual({ status: 'rejected', reason: expect.any(AppendLogBrokenError) as unknown });
    await expect(log.append('c', false)).rejects.toThrow(
      /\/dev\/full can no longer be written safely after a failed write: .*ENOSPC/,
    );
    await log.close();
  });
});
