/**
 * Where an expected file stands, as `ferry status`, `ferry watch`, the tray and the window show
 * it. The schedule and the reasoning behind it are in src/engine/expectations.
 */

/** `pending`: not due yet; `late`: due and not delivered; `missing`: its period is over without it. */
export type ExpectationState = 'delivered' | 'pending' | 'late' | 'missing';

/** Why a file is late, as far as Ferry knows: a stable code for scripts, beside the sentence. */
export type LateCause =
  | 'no-file'
  | 'rejected'
  | 'failing'
  | 'failed'
  | 'offline'
  | 'token-rejected'
  | 'paused'
  | 'on-its-way'
  | 'agent-not-running';

export interface ExpectationStatus {
  /** The watched folder. */
  readonly folder: string;
  readonly descriptor: string;
  /** The date the file names, `YYYY-MM-DD`. */
  readonly date: string;
  /** When it is due, milliseconds since the epoch. */
  readonly due: number;
  readonly state: ExpectationState;
  /** The first delivery of a file for this date. */
  readonly deliveredAt?: number;
  /** The file delivered, or the one that explains why it is late. */
  readonly file?: string;
  readonly cause?: LateCause;
  /** Why it is late or missing, for a person. */
  readonly reason?: string;
}

/** The expectations of every folder: the current period of each, and the days before it. */
export interface ExpectationsView {
  /** When this was worked out. */
  readonly at: number;
  /** Every delivery day of the last `days` days, today's included, oldest first per expectation. */
  readonly statuses: readonly ExpectationStatus[];
}

/** `customers for 2026-12-03`. */
export function expectationName(status: Pick<ExpectationStatus, 'descriptor' | 'date'>): string {
  return `${status.descriptor} for ${status.date}`;
}

/** The one line a person reads: `customers for 2026-12-03 is late: no file …`. */
export function expectationLine(status: ExpectationStatus): string {
  const name = expectationName(status);
  switch (status.state) {
    case 'delivered':
      return `${name} was delivered${status.file === undefined ? '' : `: ${status.file}`}`;
    case 'pending':
      return `${name} is not due yet`;
    case 'late':
    case 'missing':
      return `${name} is ${status.state}${status.reason === undefined ? '' : `: ${status.reason}`}`;
  }
}

/** Whether a status asks a person to act: late now, or missed. */
export function isOverdue(status: Pick<ExpectationStatus, 'state'>): boolean {
  return status.state === 'late' || status.state === 'missing';
}

/** An expected file as the config file and the window's folder settings write it. */
export interface ExpectationSetting {
  readonly descriptor: string;
  /** `day`, `week`, `month`, or days such as `mon-fri` or `mon,wed,fri`. */
  readonly every: string;
  /** The day of a week (`mon`) or of a month (1–31). */
  readonly on?: string | number;
  /** Local time, `HH:MM` or `HH:MM:SS`. */
  readonly by: string;
  /** An IANA zone; the machine's own without it. */
  readonly timezone?: string;
  readonly date?: 'delivery-day' | 'previous-day';
}
