import type { DeliveryLedger, ImportRecord, LedgerEntry } from '../../src/engine/delivery-ledger.js';

/** The delivered-files ledger in memory: every entry recorded, in order, for assertions. */
export class MemoryLedger implements DeliveryLedger {
  readonly entries: LedgerEntry[];
  readonly imports: ImportRecord[] = [];

  constructor(entries: readonly LedgerEntry[] = []) {
    this.entries = [...entries];
  }

  find(sha256: string, target: string): LedgerEntry | undefined {
    return this.entries.findLast((e) => e.sha256 === sha256 && e.target === target);
  }

  has(sha256: string, target: string): boolean {
    return this.find(sha256, target) !== undefined;
  }

  findUnchanged(path: string, size: number, mtimeMs: number, target: string): LedgerEntry | undefined {
    return this.entries.findLast(
      (e) => e.path === path && e.size === size && e.mtimeMs === mtimeMs && e.target === target,
    );
  }

  record(entry: LedgerEntry): Promise<void> {
    this.entries.push(entry);
    return Promise.resolve();
  }

  recordImport(imported: ImportRecord): Promise<void> {
    this.imports.push(imported);
    return Promise.resolve();
  }
}
