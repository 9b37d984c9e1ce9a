import type { ExpectationStatus } from '../shared/expectations.js';

/** `ferry status` for a person: each folder's expected files now, then the days before as a grid. */

const MARK: Readonly<Record<ExpectationStatus['state'], string>> = {
  delivered: '✓',
  pending: '·',
  late: '!',
  missing: '✗',
};

/** `2026-12-03 09:00`, in the machine's local time. */
export function localMinute(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function nowLine(status: ExpectationStatus): string {
  switch (status.state) {
    case 'delivered':
      return `delivered ${localMinute(status.deliveredAt ?? status.due)}${status.file === undefined ? '' : ` (${status.file})`}`;
    case 'pending':
      return `due ${localMinute(status.due)}`;
    case 'late':
    case 'missing':
      return `${status.state}, due ${localMinute(status.due)}: ${status.reason ?? ''}`;
  }
}

const keyOf = (s: ExpectationStatus) => `${s.folder}\0${s.descriptor}`;

export function formatStatus(statuses: readonly ExpectationStatus[]): string {
  if (statuses.length === 0) return 'No folder expects a file (add "expect" to a folder in the config).\n';
  const byExpectation = new Map<string, ExpectationStatus[]>();
  for (const status of statuses)
    byExpectation.set(keyOf(status), [...(byExpectation.get(keyOf(status)) ?? []), status]);
  const folders = [...new Set(statuses.map((s) => s.folder))];
  const width = Math.max(...statuses.map((s) => s.descriptor.length));
  const dates = [...new Set(statuses.map((s) => s.date))].sort();
  const lines: string[] = ['Now'];
  for (const folder of folders) {
    lines.push(`  ${folder}`);
    for (const latest of [...byExpectation.values()].flatMap((list) => list.slice(-1))) {
      if (latest.folder !== folder) continue;
      lines.push(
        `    ${MARK[latest.state]} ${latest.descriptor.padEnd(width)}  ${latest.date}  ${nowLine(latest)}`,
      );
    }
  }
  // Each column is a date's `MM-DD`: five characters, the mark in the middle.
  lines.push('', `${'Days'.padEnd(width + 6)}${dates.map((d) => d.slice(5)).join(' ')}`);
  for (const folder of folders) {
    lines.push(`  ${folder}`);
    for (const list of byExpectation.values()) {
      if (list[0]?.folder !== folder) continue;
      const cells = dates.map((date) => {
        const status = list.find((s) => s.date === date);
        return `  ${status === undefined ? '-' : MARK[status.state]}  `;
      });
      lines.push(`    ${list[0].descriptor.padEnd(width)}  ${cells.join(' ').trimEnd()}`);
    }
  }
  lines.push('', '✓ delivered  · not due yet  ! late  ✗ missing  - not expected that day');
  return `${lines.join('\n')}\n`;
}
