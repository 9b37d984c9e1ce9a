import type { ImportStatistics } from '../shared/import-statistics.js';

/** One delivery that succeeded: which bytes went where, and as what. */
export interface LedgerEntry {
  /** Hex sha256 of the delivered bytes. */
  readonly sha256: string;
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly remoteId: string;
  readonly target: string;
  readonly deliveredAt: number;
  /** The vendor took these bytes, but the file changed before its answer came: a newer version followed. */
  readonly superseded?: boolean;
  /**
   * The watched folder the file came from (absent for a picked file, and in entries written
   * before Ferry recorded it: the folder of `path` then stands in).
   */
  readonly folder?: string;
  /** Attempts it took, this delivery's included (absent in older entries). */
  readonly attempts?: number;
  /**
   * What the vendor said of its import (rows, columns…), when it said so. Reported after the
   * delivery was recorded, so it is written as an `ImportRecord` and joined to the entry on reading.
   */
  readonly statistics?: ImportStatistics;
}

/** The import statistics a vendor reported for a delivery the ledger already holds. */
export interface ImportRecord {
  readonly target: string;
  readonly remoteId: string;
  readonly statistics: ImportStatistics;
}

/**
 * Remembers every delivery so the same bytes are not delivered twice to a target. Lookups are
 * synchronous because the ledger is held in memory; only recording touches the disk.
 * A deliberate re-upload skips the lookups and records its delivery like any other.
 */
export interface DeliveryLedger {
  /** The latest delivery of these bytes to this target. */
  find(sha256: string, target: string): LedgerEntry | undefined;
  has(sha256: string, target: string): boolean;
  /**
   * The latest delivery to this target of the file at `path` when it had exactly this size and
   * mtime: an unchanged file is recognised without reading it again.
   */
  findUnchanged(path: string, size: number, mtimeMs: number, target: string): LedgerEntry | undefined;
  /** Resolves once the entry would survive a power loss. */
  record(entry: LedgerEntry): Promise<void>;
  /** Adds what the vendor reported of a recorded delivery's import. */
  recordImport(imported: ImportRecord): Promise<void>;
}
