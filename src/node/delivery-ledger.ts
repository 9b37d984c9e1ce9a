import { truncate } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DeliveryLedger, ImportRecord, LedgerEntry } from '../engine/delivery-ledger.js';
import { isJsonObject } from '../shared/json-value.js';
import { AppendLog } from './append-log.js';
import { syncDirectory } from './durable-file.js';
import { readJsonLines } from './json-lines.js';

export const LEDGER_FILE = 'delivered.ledger';

const isNumber = (field: unknown) => typeof field === 'number' && Number.isFinite(field);

/** The optional facts an entry may hold: absent, or of their type. */
function optionalFactsFit(entry: Readonly<Record<keyof LedgerEntry, unknown>>): boolean {
  const { folder, attempts, statistics } = entry;
  return (
    (folder === undefined || typeof folder === 'string') &&
    (attempts === undefined || isNumber(attempts)) &&
    (statistics === undefined || isJsonObject(statistics))
  );
}

function isLedgerEntry(value: unknown): value is LedgerEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Readonly<Record<keyof LedgerEntry, unknown>>;
  return (
    optionalFactsFit(entry) &&
    typeof entry.sha256 === 'string' &&
    typeof entry.path === 'string' &&
    isNumber(entry.size) &&
    isNumber(entry.mtimeMs) &&
    typeof entry.remoteId === 'string' &&
    typeof entry.target === 'string' &&
    isNumber(entry.deliveredAt)
  );
}

/** A line `{"import": {target, remoteId, statistics}}`: what the vendor reported after the delivery. */
function importOf(value: unknown): ImportRecord | undefined {
  if (!isJsonObject(value) || !isJsonObject(value.import)) return undefined;
  const { target, remoteId, statistics } = value.import;
  return typeof target === 'string' && typeof remoteId === 'string' && isJsonObject(statistics)
    ? { target, remoteId, statistics }
    : undefined;
}

/**
 * Reads the ledger's lines: deliveries in the order recorded, each with the statistics reported
 * for it since. `false` for a line that is neither, so the reader counts it as damaged.
 */
function ledgerReader(entries: LedgerEntry[]): (value: unknown) => boolean {
  // Where each delivery sits in `entries`, by target and remote id: an import line finds its own.
  const delivered = new Map<string, number>();
  return (value) => {
    if (isLedgerEntry(value)) {
      delivered.set(importKey(value), entries.length);
      entries.push(value);
      return true;
    }
    const imported = importOf(value);
    if (imported === undefined) return false;
    const index = delivered.get(importKey(imported));
    const entry = index === undefined ? undefined : entries[index];
    if (index !== undefined && entry !== undefined)
      entries[index] = { ...entry, statistics: imported.statistics };
    return true;
  };
}

// NUL cannot occur in a path or a target name, so these keys cannot collide.
const importKey = (of: { target: string; remoteId: string }) => `${of.target}\0${of.remoteId}`;
const contentKey = (sha256: string, target: string) => `${target}\0${sha256}`;
const fileKey = (path: string, size: number, mtimeMs: number, target: string) =>
  `${target}\0${path}\0${size}\0${mtimeMs}`;

export interface LedgerLoadReport {
  readonly entries: number;
  readonly skipped: number;
  readonly tornTail: boolean;
}

/**
 * Every delivery the ledger of a state dir holds, in the order recorded: read-only, so it may run
 * beside the agent that appends to it (a line being written is not yet whole, and is skipped).
 */
export async function readLedger(stateDir: string): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  await readJsonLines(join(stateDir, LEDGER_FILE), ledgerReader(entries));
  return entries;
}

/**
 * The DeliveryLedger on disk: `<stateDir>/delivered.ledger`, one JSON line per delivery, never
 * rewritten. The whole ledger is indexed in memory by content and by file identity.
 */
export class FileDeliveryLedger implements DeliveryLedger {
  private readonly byContent = new Map<string, LedgerEntry>();
  private readonly byFile = new Map<string, LedgerEntry>();

  private constructor(
    private readonly log: AppendLog,
    readonly report: LedgerLoadReport,
  ) {}

  /** Reads the ledger (skipping damaged lines) and opens it for recording. */
  static async open(stateDir: string): Promise<FileDeliveryLedger> {
    const path = join(stateDir, LEDGER_FILE);
    const entries: LedgerEntry[] = [];
    const read = await readJsonLines(path, ledgerReader(entries));
    // A torn tail is cut off, and a whole one terminated, so the next line starts on its own.
    if (read.tornTail) await truncate(path, read.terminatedBytes);
    const log = await AppendLog.open(path);
    try {
      if (read.unterminated && !read.tornTail) await log.append('', true);
      // The file may have just been created: its name must survive a crash as well as its lines.
      await syncDirectory(dirname(path));
    } catch (error) {
      await log.close();
      throw error;
    }
    const ledger = new FileDeliveryLedger(log, {
      entries: read.lines,
      skipped: read.skipped,
      tornTail: read.tornTail,
    });
    for (const entry of entries) ledger.index(entry);
    return ledger;
  }

  find(sha256: string, target: string): LedgerEntry | undefined {
    return this.byContent.get(contentKey(sha256, target));
  }

  has(sha256: string, target: string): boolean {
    return this.byContent.has(contentKey(sha256, target));
  }

  findUnchanged(path: string, size: number, mtimeMs: number, target: string): LedgerEntry | undefined {
    return this.byFile.get(fileKey(path, size, mtimeMs, target));
  }

  async record(entry: LedgerEntry): Promise<void> {
    await this.log.append(JSON.stringify(entry), true);
    // Indexed only once durable, so a lookup never answers from a delivery a crash could lose.
    this.index(entry);
  }

  /**
   * Not synced: the figures are for people to read, and a crash that loses them loses no
   * delivery; the next sync (any delivery's) takes them along.
   */
  async recordImport(imported: ImportRecord): Promise<void> {
    await this.log.append(JSON.stringify({ import: imported }), false);
  }

  close(): Promise<void> {
    return this.log.close();
  }

  private index(entry: LedgerEntry): void {
    this.byContent.set(contentKey(entry.sha256, entry.target), entry);
    this.byFile.set(fileKey(entry.path, entry.size, entry.mtimeMs, entry.target), entry);
  }
}
