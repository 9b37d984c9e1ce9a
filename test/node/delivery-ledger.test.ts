import { appendFile, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { LedgerEntry } from '../../src/engine/delivery-ledger.js';
import { FileDeliveryLedger, LEDGER_FILE } from '../../src/node/delivery-ledger.js';
import { requireBuilt, spawnNode } from '../support/child-process.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledger');

function entry(extra: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    sha256: 'a'.repeat(64),
    path: '/watch/Customers-2024-06-12-v1.csv',
    size: 1_234,
    mtimeMs: 1_718_000_000_123.456,
    remoteId: 'remote-1',
    target: 'lexer',
    deliveredAt: 1_718_000_100_000,
    ...extra,
  };
}

async function reopened(dir: string, record: readonly LedgerEntry[] = []): Promise<FileDeliveryLedger> {
  const first = await FileDeliveryLedger.open(dir);
  for (const item of record) await first.record(item);
  await first.close();
  return FileDeliveryLedger.open(dir);
}

describe('FileDeliveryLedger', () => {
  it('knows nothing at first, and creates its file', async () => {
    const dir = await tempDir();
    const ledger = await FileDeliveryLedger.open(dir);
    await ledger.close();
    expect(ledger.has('a'.repeat(64), 'lexer')).toBe(false);
    expect(ledger.report).toEqual({ entries: 0, skipped: 0, tornTail: false });
    expect(await readFile(join(dir, LEDGER_FILE), 'utf8')).toBe('');
  });

  it('finds a recorded delivery by content and by unchanged file, for that target only', async () => {
    const dir = await tempDir();
    const ledger = await FileDeliveryLedger.open(dir);
    const delivered = entry();
    await ledger.record(delivered);
    await ledger.close();

    expect(ledger.has(delivered.sha256, 'lexer')).toBe(true);
    expect(ledger.find(delivered.sha256, 'lexer')).toEqual(delivered);
    expect(ledger.has(delivered.sha256, 'analytics')).toBe(false);
    expect(ledger.has('b'.repeat(64), 'lexer')).toBe(false);

    const { path, size, mtimeMs } = delivered;
    expect(ledger.findUnchanged(path, size, mtimeMs, 'lexer')).toEqual(delivered);
    expect(ledger.findUnchanged(path, size, mtimeMs, 'analytics')).toBeUndefined();
    expect(ledger.findUnchanged(path, size + 1, mtimeMs, 'lexer')).toBeUndefined();
    expect(ledger.findUnchanged(path, size, mtimeMs + 0.001, 'lexer')).toBeUndefined();
    expect(ledger.findUnchanged(`${path}.bak`, size, mtimeMs, 'lexer')).toBeUndefined();
  });

  it('remembers deliveries across restarts', async () => {
    const dir = await tempDir();
    const one = entry();
    const two = entry({
      sha256: 'b'.repeat(64),
      path: '/watch/Orders-2024-06-12-v1.csv',
      remoteId: 'remote-2',
    });
    const ledger = await reopened(dir, [one, two]);
    await ledger.close();
    expect(ledger.find(one.sha256, 'lexer')).toEqual(one);
    expect(ledger.findUnchanged(two.path, two.size, two.mtimeMs, 'lexer')).toEqual(two);
    expect(ledger.report).toEqual({ entries: 2, skipped: 0, tornTail: false });
  });

  it('answers with the latest delivery once the same bytes are re-uploaded on purpose', async () => {
    const dir = await tempDir();
    const again = entry({ remoteId: 'remote-2', deliveredAt: 1_718_000_200_000 });
    const ledger = await reopened(dir, [entry(), again]);
    await ledger.close();
    expect(ledger.find(again.sha256, 'lexer')).toEqual(again);
    expect(ledger.findUnchanged(again.path, again.size, again.mtimeMs, 'lexer')).toEqual(again);
  });

  it('syncs each delivery to the disk before record resolves', async () => {
    const dir = await tempDir();
    const ledger = await FileDeliveryLedger.open(dir);
    const probe = await open(join(dir, 'probe'), 'w');
    const fileHandle = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const datasync = vi.spyOn(fileHandle, 'datasync');
    try {
      await ledger.record(entry());
      expect(datasync).toHaveBeenCalledTimes(1);
    } finally {
      datasync.mockRestore();
      await ledger.close();
    }
  });

  it('drops a torn last line and appends cleanly after it', async () => {
    const dir = await tempDir();
    const path = join(dir, LEDGER_FILE);
    await writeFile(path, `${JSON.stringify(entry())}\n`);
    const torn = JSON.stringify(entry({ sha256: 'c'.repeat(64) }));
    await appendFile(path, torn.slice(0, 40));

    const ledger = await FileDeliveryLedger.open(dir);
    expect(ledger.report).toEqual({ entries: 2, skipped: 1, tornTail: true });
    expect(ledger.has('a'.repeat(64), 'lexer')).toBe(true);
    expect(ledger.has('c'.repeat(64), 'lexer')).toBe(false);
    await ledger.record(entry({ sha256: 'd'.repeat(64) }));
    await ledger.close();

    const again = await FileDeliveryLedger.open(dir);
    await again.close();
    expect(again.report).toEqual({ entries: 2, skipped: 0, tornTail: false });
    expect(again.has('d'.repeat(64), 'lexer')).toBe(true);
  });

  it('keeps a last line that lacks only its newline, and terminates it', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, LEDGER_FILE), JSON.stringify(entry()));
    const ledger = await FileDeliveryLedger.open(dir);
    await ledger.record(entry({ sha256: 'b'.repeat(64) }));
    await ledger.close();
    const again = await FileDeliveryLedger.open(dir);
    await again.close();
    expect(again.report).toEqual({ entries: 2, skipped: 0, tornTail: false });
    expect(again.has('a'.repeat(64), 'lexer') && again.has('b'.repeat(64), 'lexer')).toBe(true);
  });

  it('skips damaged and malformed lines in the middle', async () => {
    const dir = await tempDir();
    await writeFile(
      join(dir, LEDGER_FILE),
      [
        JSON.stringify(entry()),
        '{"sha256": "bbb", "pa',
        JSON.stringify({ ...entry({ sha256: 'e'.repeat(64) }), size: '12' }),
        JSON.stringify(entry({ sha256: 'f'.repeat(64) })),
        '',
      ].join('\n'),
    );
    const ledger = await FileDeliveryLedger.open(dir);
    await ledger.close();
    expect(ledger.report).toEqual({ entries: 4, skipped: 2, tornTail: false });
    expect(['a', 'e', 'f'].map((c) => ledger.has(c.repeat(64), 'lexer'))).toEqual([true, false, true]);
  });

  it('holds every delivery whose record had resolved when the agent is killed', async () => {
    requireBuilt('dist/node/delivery-ledger.js');
    const dir = await tempDir();
    const child = spawnNode('test/node/children/ledger-writer.js', [dir]);
    await child.waitForLine((line) => line === (300).toString(16).padStart(64, '0'));
    child.process.kill('SIGKILL');
    expect((await child.exited).signal).toBe('SIGKILL');
    const confirmed = child.lines.slice();

    const ledger = await FileDeliveryLedger.open(dir);
    await ledger.close();
    expect(confirmed.length).toBeGreaterThan(300);
    for (const sha256 of confirmed) {
      const n = Number.parseInt(sha256, 16);
      expect(ledger.find(sha256, 'lexer')?.remoteId).toBe(`remote-${n}`);
      expect(ledger.findUnchanged(`/watch/file-${n}.csv`, n, 1_718_000_000_000 + n, 'lexer')?.sha256).toBe(
        sha256,
      );
    }
    expect(ledger.report.skipped).toBe(ledger.report.tornTail ? 1 : 0);
  });
});
