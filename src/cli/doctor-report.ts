/** One line of `ferry doctor`: what was checked, how it went, and the one-line fix when it failed. */
export interface DoctorCheck {
  readonly status: 'pass' | 'fail' | 'skip';
  readonly title: string;
  /** Why it failed (or what was found); never a secret. */
  readonly detail?: string;
  /** What to do, in one line; every failure has one. */
  readonly fix?: string;
}

export function pass(title: string, detail?: string): DoctorCheck {
  return detail === undefined ? { status: 'pass', title } : { status: 'pass', title, detail };
}

export function fail(title: string, detail: string, fix: string): DoctorCheck {
  return { status: 'fail', title, detail, fix };
}

export function skip(title: string, detail: string): DoctorCheck {
  return { status: 'skip', title, detail };
}

const MARK = { pass: '✓', fail: '✗', skip: '–' } as const;

export function formatDoctorReport(checks: readonly DoctorCheck[]): string {
  const lines = checks.flatMap((check) => [
    `${MARK[check.status]} ${check.title}${check.detail === undefined ? '' : `: ${check.detail}`}`,
    ...(check.fix === undefined ? [] : [`    fix: ${check.fix}`]),
  ]);
  const failed = checks.filter((c) => c.status === 'fail').length;
  lines.push(failed === 0 ? 'all checks passed' : `${failed} check${failed === 1 ? '' : 's'} failed`);
  return `${lines.join('\n')}\n`;
}

export function doctorPassed(checks: readonly DoctorCheck[]): boolean {
  return checks.every((check) => check.status !== 'fail');
}
