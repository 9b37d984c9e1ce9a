import type { ContentReport } from '../engine/content/content-report.js';
import type { NameVerdict } from '../shared/naming.js';

/** One checked file, as printed by `ferry check --json`. */
export interface CheckRecord {
  readonly file: string;
  readonly status: NameVerdict['status'];
  readonly code?: string;
  readonly reason?: string;
  readonly suggestion?: string;
  readonly parts?: Readonly<Record<string, string>>;
  /** With `--content`: what the pre-flight check of the file's contents found. */
  readonly content?: ContentReport;
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

/** Adds a content report; a well-named file with broken contents is rejected with the first error. */
export function withContent(record: CheckRecord, content: ContentReport): CheckRecord {
  const error = content.findings.find((f) => f.severity === 'error');
  if (record.status !== 'valid' || error === undefined) return { ...record, content };
  return { file: record.file, status: 'rejected', code: error.code, reason: error.message, content };
}

function describeContent(content: ContentReport): string[] {
  const { rows, columns } = content.stats;
  const shape = columns === undefined ? `${rows} record(s)` : `${rows} row(s) × ${columns} column(s)`;
  return [
    `            content ${content.verdict}: ${shape}`,
    ...content.findings.map(
      (f) => `            ${f.severity === 'error' ? '✗' : '!'} ${f.code}: ${f.message}`,
    ),
  ];
}

function describe(record: CheckRecord): string[] {
  return [...describeName(record), ...(record.content === undefined ? [] : describeContent(record.content))];
}

function describeName(record: CheckRecord): string[] {
  switch (record.status) {
    case 'valid':
      return [`✓ valid     ${record.file}`];
    case 'ignored':
      return [`- ignored   ${record.file} (${record.reason ?? ''})`];
    case 'rejected': {
      // A content rejection is spelled out with the other content findings.
      const inContent = record.content?.findings.some((f) => f.code === record.code) === true;
      const lines = [`✗ rejected  ${record.file}`];
      if (!inContent) lines.push(`            ${record.code ?? ''}: ${record.reason ?? ''}`);
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
