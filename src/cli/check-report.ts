import type { NameVerdict } from '../shared/naming.js';

/** One checked file, as printed by `ferry check --json`. */
export interface CheckRecord {
  readonly file: string;
  readonly status: NameVerdict['status'];
  readonly code?: string;
  readonly reason?: string;
  readonly suggestion?: string;
  readonly parts?: Readonly<Record<string, string>>;
}

export function toRecord(file: string, verdict: NameVerdict): CheckRecord {
  switch (verdict.status) {
    case 'valid':
      return { file, status: 'valid', parts: verdict.parts };
    case 'ignored':
      return { file, status: 'ignored', reason: verdict.reason };
    case 'rejected':
      return { file, ...verdict };
  }
}

function describe(record: CheckRecord): string[] {
  switch (record.status) {
    case 'valid':
      return [`✓ valid     ${record.file}`];
    case 'ignored':
      return [`- ignored   ${record.file} (${record.reason ?? ''})`];
    case 'rejected': {
      const lines = [
        `✗ rejected  ${record.file}`,
        `            ${record.code ?? ''}: ${record.reason ?? ''}`,
      ];
      if (record.suggestion !== undefined) lines.push(`            suggestion: ${record.suggestion}`);
      return lines;
    }
  }
}

/** The human report: one entry per file, then a count of each verdict. */
export function formatCheckReport(records: readonly CheckRecord[]): string {
  const count = (status: CheckRecord['status']) => records.filter((r) => r.status === status).length;
  const summary = `${records.length} checked: ${count('valid')} valid, ${count('rejected')} rejected, ${count('ignored')} ignored`;
  return [...records.flatMap(describe), summary].join('\n') + '\n';
}
