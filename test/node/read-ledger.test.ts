import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../src/engine/delivery-ledger.js';
import { FileDeliveryLedger, LEDGER_FILE, readLedger } from '../../src/node/delivery-ledger.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('read-ledger');

const OLD: LedgerEntry = {
  sha256: 'a'.repeat(64),
  path: '/watch/customers-2026-12-01-v1.csv',
  size: 12,
  mtimeMs: 1,
  remoteId: 'r1',
  target: 'lexer',
  deliveredAt: 1_000,
};
const NEW: LedgerEntry = {
  ...OLD,
  sha256: 'b'.repeat(64),
  path: '/watch/customers-2026-12-02-v1.csv',
  remoteId: 'r2',
  deliveredAt: 2_000,
  folder: '/watch',
  attempts: 2,
  statistics: { rows: 10, columns: 3 },
};

describe('the ledger with receipts', () => {
  it('reads entries written before the optional facts existed beside new ones, in order', async () => {
    const dir = await tempDir();
    await appendFile(join(dir, LEDGER_FILE), `${JSON.stringify(OLD)}\n`);
    const ledger = await FileDeliveryLedger.open(dir);
    await ledger.record(NEW);
    expect(ledger.report).toEqual({ entries: 1, skipped: 0, tornTail: false });
    expect(await readLedger(dir)).toEqual([OLD, NEW]);
    await ledger.close();
    const again = await FileDeliveryLedger.open(dir);
    expect(again.find(NEW.sha256, 'lexer')).toEqual(NEW);
    await again.close();
  });

  it('skips an entry whose optional facts are of the wrong type, and a torn line', async () => {
    const dir = await tempDir();
    const bad = [
      { ...OLD, attempts: 'two' },
      { ...OLD, statistics: ['ten'] },
      { ...OLD, folder: 3 },
    ];
    await appendFile(
      join(dir, LEDGER_FILE),
      `${bad.map((b) => JSON.stringify(b)).join('\n')}\n${JSON.stringify(NEW)}\n{"sha256":`,
    );
    expect(await readLedger(dir)).toEqual([NEW]);
  });

  it('joins the import statistics reported after a delivery to its entry, and to no other', async () => {
    const dir = await tempDir();
    const ledger = await FileDeliveryLedger.open(dir);
    await ledger.record(OLD);
    await ledger.record({ ...OLD, target: 'analytics' });
    await ledger.recordImport({
      target: 'analytics',
      remoteId: 'r1',
      statistics: { rows: 7, detail: { ok: true } },
    });
    await ledger.close();
    expect(await readLedger(dir)).toEqual([
      OLD,
      { ...OLD, target: 'analytics', statistics: { rows: 7, detail: { ok: true } } },
    ]);
    // A reopened ledger reads the statistics line as what it is, not as a damaged entry.
    const reopened = await FileDeliveryLedger.open(dir);
    expect(reopened.report).toEqual({ entries: 3, skipped: 0, tornTail: false });
    await reopened.close();
  });

  it('reads no ledger as none', async () => {
    expect(await readLedger(join(await tempDir(), 'nothing-here'))).toEqual([]);
  });
});
