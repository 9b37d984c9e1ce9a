import type { ExpectationState, ExpectationStatus } from '../shared/expectations.js';

/** The window's table of expected files: one row per folder and descriptor, one column per date. */

export interface ExpectationRow {
  readonly key: string;
  readonly folder: string;
  readonly descriptor: string;
  /** The open period's status: the latest date. */
  readonly now: ExpectationStatus;
  /** By date (`YYYY-MM-DD`); a date the file is not expected on is absent. */
  readonly days: ReadonlyMap<string, ExpectationStatus>;
}

export interface ExpectationTable {
  /** Every date any row has, oldest first. */
  readonly dates: readonly string[];
  /** Late rows first, then missing, then by folder and descriptor. */
  readonly rows: readonly ExpectationRow[];
}

const URGENCY: Readonly<Record<ExpectationState, number>> = { late: 0, missing: 1, pending: 2, delivered: 3 };

export function expectationTable(statuses: readonly ExpectationStatus[]): ExpectationTable {
  const rows = new Map<
    string,
    { folder: string; descriptor: string; days: Map<string, ExpectationStatus> }
  >();
  for (const status of statuses) {
    const key = `${status.folder}\0${status.descriptor}`;
    const row = rows.get(key) ?? { folder: status.folder, descriptor: status.descriptor, days: new Map() };
    row.days.set(status.date, status);
    rows.set(key, row);
  }
  const table = [...rows.entries()].flatMap(([key, row]) => {
    const latest = [...row.days.keys()].sort().at(-1);
    const now = latest === undefined ? undefined : row.days.get(latest);
    return now === undefined ? [] : [{ key, ...row, now }];
  });
  table.sort(
    (a, b) =>
      URGENCY[a.now.state] - URGENCY[b.now.state] ||
      a.folder.localeCompare(b.folder) ||
      a.descriptor.localeCompare(b.descriptor),
  );
  return { dates: [...new Set(statuses.map((s) => s.date))].sort(), rows: table };
}

export const STATE_LABELS: Readonly<Record<ExpectationState, string>> = {
  delivered: 'Delivered',
  pending: 'Not due yet',
  late: 'Late',
  missing: 'Missing',
};

export const STATE_MARKS: Readonly<Record<ExpectationState, string>> = {
  delivered: '✓',
  pending: '·',
  late: '!',
  missing: '✗',
};
