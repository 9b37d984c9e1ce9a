import type { ImportStatistics } from './import-statistics.js';

/**
 * A delivery receipt: one delivery from the ledger, as `ferry history` prints it and the window
 * exports it. Proof of what was sent: the bytes' sha256, the vendor's id for them, and when.
 */
export interface Receipt {
  /** The file name. */
  readonly file: string;
  readonly path: string;
  /** The watched folder it came from; absent for a file picked by hand. */
  readonly folder?: string;
  readonly target: string;
  readonly size: number;
  readonly sha256: string;
  readonly remoteId: string;
  readonly deliveredAt: number;
  /** Attempts it took; absent for deliveries recorded before Ferry counted them. */
  readonly attempts?: number;
  /** The vendor's import statistics, when it reported them. */
  readonly statistics?: ImportStatistics;
  /** A corrected file: the name of the earlier delivery of its descriptor and date (a lower version). */
  readonly redeliveryOf?: string;
}

export interface ReceiptFilter {
  /** Delivered at or after (ms). */
  readonly since?: number;
  /** Delivered before (ms). */
  readonly until?: number;
  readonly folder?: string;
  readonly target?: string;
}

export const RECEIPT_COLUMNS = [
  'delivered_at',
  'file',
  'folder',
  'target',
  'size',
  'sha256',
  'remote_id',
  'attempts',
  'statistics',
  'redelivery_of',
] as const;

/** One field as RFC 4180 has it: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** `rows=120;columns=8`: one field for any statistics a vendor reports (nested ones as JSON). */
export function statisticsText(statistics: ImportStatistics | undefined): string {
  return Object.entries(statistics ?? {})
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(';');
}

/** The receipts as CSV: a header, one record per delivery, CRLF after every record (RFC 4180). */
export function receiptsCsv(receipts: readonly Receipt[]): string {
  const rows = receipts.map((r) => [
    new Date(r.deliveredAt).toISOString(),
    r.file,
    r.folder ?? '',
    r.target,
    String(r.size),
    r.sha256,
    r.remoteId,
    r.attempts === undefined ? '' : String(r.attempts),
    statisticsText(r.statistics),
    r.redeliveryOf ?? '',
  ]);
  return [[...RECEIPT_COLUMNS], ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
