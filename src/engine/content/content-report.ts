/**
 * What a pre-flight content check found in a file. Errors stop the delivery
 * (the job is rejected with the finding's code); warnings are shown but the
 * file is still sent.
 */
export type ContentCode =
  | 'content-unreadable'
  | 'content-empty'
  | 'content-encoding'
  | 'content-nul'
  | 'content-bom'
  | 'content-line-too-long'
  | 'content-csv-header'
  | 'content-csv-columns'
  | 'content-csv-quotes'
  | 'content-csv-delimiter'
  | 'content-ndjson'
  | 'content-ndjson-keys'
  | 'content-json';

export type Severity = 'error' | 'warning';

export interface ContentFinding {
  readonly code: ContentCode;
  readonly severity: Severity;
  readonly message: string;
  /** The first offending line numbers (1-based), at most MAX_REPORTED_LINES of them. */
  readonly lines?: readonly number[];
  /** How many lines had this problem in all, when more than `lines` lists. */
  readonly count?: number;
}

export interface ContentStats {
  readonly bytes: number;
  /** Data rows (CSV without its header), records (NDJSON) or top-level items (JSON array). */
  readonly rows: number;
  readonly columns?: number;
  readonly delimiter?: string;
}

export interface ContentReport {
  readonly verdict: 'ok' | 'rejected';
  readonly findings: readonly ContentFinding[];
  readonly stats: ContentStats;
}

export const MAX_REPORTED_LINES = 10;

/** Collects line numbers for one kind of problem: the first few, and how many in all. */
export class LineTally {
  readonly lines: number[] = [];
  count = 0;

  /** Whether further line numbers would only be counted: callers skip working them out. */
  get isFull(): boolean {
    return this.lines.length >= MAX_REPORTED_LINES;
  }

  add(line: number): void {
    this.count += 1;
    if (this.lines.length < MAX_REPORTED_LINES) this.lines.push(line);
  }

  finding(code: ContentCode, severity: Severity, message: string): ContentFinding | undefined {
    if (this.count === 0) return undefined;
    return this.count > this.lines.length
      ? { code, severity, message, lines: [...this.lines], count: this.count }
      : { code, severity, message, lines: [...this.lines] };
  }
}

export function describeLines(lines: readonly number[], count: number): string {
  const listed = lines.join(', ');
  return count > lines.length ? `${listed} and ${count - lines.length} more` : listed;
}

export function reportOf(
  findings: readonly (ContentFinding | undefined)[],
  stats: ContentStats,
): ContentReport {
  const present = findings.filter((f): f is ContentFinding => f !== undefined);
  return {
    verdict: present.some((f) => f.severity === 'error') ? 'rejected' : 'ok',
    findings: present,
    stats,
  };
}
