import { formatIsoDate, type CalendarDate } from '../../shared/calendar-date.js';
import type { ExpectationStatus, LateCause } from '../../shared/expectations.js';
import { fileNameOf } from '../../shared/file-name.js';
import type { JobState } from '../../shared/job.js';
import { folderOfPath, isExpectedFile, looksExpected } from './expected-files.js';
import {
  deliveryDayOnOrBefore,
  deliveryDays,
  dueAt,
  fileDate,
  periodEnd,
  type Expectation,
} from './schedule.js';
import { addDays, localDate, localTime } from './zoned-time.js';

/** A delivery the ledger (or a completed job) knows of. */
export interface DeliveredFile {
  readonly path: string;
  /** The watched folder it came from, when known; else the folder of its path. */
  readonly folder?: string;
  readonly deliveredAt: number;
}

/** A job as far as the reasons need it: a JobRecord or a JobView fits. */
export interface JobFacts {
  readonly path: string;
  readonly folder?: string;
  readonly target: string;
  readonly state: JobState;
  readonly updatedAt: number;
}

/** What Ferry knows that may explain a late file. */
export interface Evidence {
  readonly delivered: readonly DeliveredFile[];
  readonly jobs: readonly JobFacts[];
  readonly offlineTargets: readonly string[];
  readonly tokenRejected: readonly string[];
  /** When the running agent started; undefined when no agent runs. */
  readonly agentSince?: number;
  /** File names in each folder now, when no agent runs to have made jobs of them. */
  readonly filesInFolder?: ReadonlyMap<string, readonly string[]>;
}

interface Why {
  readonly cause: LateCause;
  readonly reason: string;
  readonly file?: string;
}

const inFolder = (item: { readonly path: string; readonly folder?: string }, folder: string) =>
  (item.folder ?? folderOfPath(item.path)) === folder;

/** `09:00 Europe/London`, as the deadline is written. */
function deadlineText(expectation: Expectation, due: number): string {
  const second = localTime(due, expectation.timeZone).second;
  const hhmm = `${String(Math.floor(second / 3600)).padStart(2, '0')}:${String(Math.floor(second / 60) % 60).padStart(2, '0')}`;
  return `${hhmm} ${expectation.timeZone}`;
}

/** Why the file of a job is not delivered, from the job's state and its target's. */
function jobWhy(job: JobFacts, evidence: Evidence, notRunningAtDue: string | undefined): Why {
  const name = fileNameOf(job.path);
  const { state } = job;
  const offline = evidence.offlineTargets.includes(job.target);
  const said = (cause: LateCause, reason: string): Why => ({ cause, reason, file: name });
  switch (state.status) {
    case 'rejected':
      return said('rejected', `${name} was rejected: ${state.reason}`);
    case 'failed':
      return said('failed', `the upload of ${name} failed: ${state.error.message}`);
    case 'paused':
      return said('paused', `${name} is paused`);
    case 'retry-wait':
      if (offline) return said('offline', `${job.target} is offline: ${name} waits for it to answer`);
      return said(
        'failing',
        `the upload of ${name} is failing (attempt ${state.attempt}): ${state.error.message}`,
      );
    case 'completed':
    case 'waiting-for-write':
    case 'queued':
    case 'requesting-url':
    case 'uploading':
    case 'processing':
      if (offline) return said('offline', `${job.target} is offline: ${name} waits for it to answer`);
      if (state.status === 'queued' && evidence.tokenRejected.includes(job.target))
        return said('token-rejected', `${job.target} refused the token: ${name} waits for a new one`);
      if (notRunningAtDue !== undefined)
        return said('agent-not-running', `${notRunningAtDue}; ${name} is on its way now`);
      return said('on-its-way', `${name} is on its way`);
  }
}

/** Why an expected file is late or missing: the most telling job, a file no agent picks up, or none. */
function why(expectation: Expectation, date: string, due: number, evidence: Evidence): Why {
  const { folder, descriptor, rule } = expectation;
  const jobs = evidence.jobs
    .filter((job) => inFolder(job, folder))
    .map((job) => ({ job, name: fileNameOf(job.path) }))
    .filter(({ name }) => looksExpected(name, descriptor, date))
    // A file that passes the rule says more than a near-miss; a newer one more than an older.
    .sort(
      (a, b) =>
        Number(isExpectedFile(b.name, rule, descriptor, date)) -
          Number(isExpectedFile(a.name, rule, descriptor, date)) || b.job.updatedAt - a.job.updatedAt,
    );
  const notRunningAtDue =
    evidence.agentSince !== undefined && evidence.agentSince > due
      ? `the agent was not running at ${deadlineText(expectation, due)}`
      : undefined;
  const [first] = jobs;
  if (first !== undefined) return jobWhy(first.job, evidence, notRunningAtDue);
  if (evidence.agentSince === undefined) {
    const waiting = (evidence.filesInFolder?.get(folder) ?? []).find((name) =>
      looksExpected(name, descriptor, date),
    );
    if (waiting !== undefined)
      return {
        cause: 'agent-not-running',
        reason: `the agent is not running: ${waiting} waits in ${folder}`,
        file: waiting,
      };
  }
  const stopped = evidence.agentSince === undefined ? '; the agent is not running' : '';
  return { cause: 'no-file', reason: `no ${descriptor} file dated ${date} in ${folder}${stopped}` };
}

/** The first delivery of a file that counts for this date: from the ledger, or a completed job. */
function firstDelivery(
  expectation: Expectation,
  date: string,
  evidence: Evidence,
): { readonly at: number; readonly file: string } | undefined {
  const { folder, rule, descriptor } = expectation;
  const counts = (item: { readonly path: string; readonly folder?: string }) =>
    inFolder(item, folder) && isExpectedFile(fileNameOf(item.path), rule, descriptor, date);
  const found = [
    ...evidence.delivered.filter(counts).map((d) => ({ at: d.deliveredAt, file: fileNameOf(d.path) })),
    ...evidence.jobs
      .filter((job) => job.state.status === 'completed' && counts(job))
      .map((job) => ({ at: job.updatedAt, file: fileNameOf(job.path) })),
  ];
  return found.sort((a, b) => a.at - b.at)[0];
}

/** Where the file of one delivery day stands at `now`. */
export function expectationStatus(
  expectation: Expectation,
  day: CalendarDate,
  now: number,
  evidence: Evidence,
): ExpectationStatus {
  const date = formatIsoDate(fileDate(expectation, day));
  const due = dueAt(expectation, day);
  const base = { folder: expectation.folder, descriptor: expectation.descriptor, date, due };
  const delivered = firstDelivery(expectation, date, evidence);
  if (delivered !== undefined)
    return { ...base, state: 'delivered', deliveredAt: delivered.at, file: delivered.file };
  if (now < due) return { ...base, state: 'pending' };
  const { cause, reason, file } = why(expectation, date, due, evidence);
  return {
    ...base,
    state: now < periodEnd(expectation, day) ? 'late' : 'missing',
    ...(file === undefined ? {} : { file }),
    cause,
    reason,
  };
}

/** Whether a delivery day is one Ferry followed the expectation on (not before it began to). */
export function followed(expectation: Expectation, day: CalendarDate): boolean {
  if (expectation.since === undefined) return true;
  const start = localDate(expectation.since, expectation.timeZone);
  return Date.UTC(day.year, day.month - 1, day.day) >= Date.UTC(start.year, start.month - 1, start.day);
}

/** The delivery day whose period is open at `now`: the latest on or before today, in the zone. */
export function currentDay(expectation: Expectation, now: number): CalendarDate {
  return deliveryDayOnOrBefore(expectation.cadence, localDate(now, expectation.timeZone));
}

/** The current period of each expectation. */
export function currentStatuses(
  expectations: readonly Expectation[],
  now: number,
  evidence: Evidence,
): ExpectationStatus[] {
  return expectations.flatMap((e) => {
    const day = currentDay(e, now);
    return followed(e, day) ? [expectationStatus(e, day, now, evidence)] : [];
  });
}

/** Every delivery day of the last `days` days (today's included) of each expectation, oldest first. */
export function recentStatuses(
  expectations: readonly Expectation[],
  now: number,
  days: number,
  evidence: Evidence,
): ExpectationStatus[] {
  return expectations.flatMap((e) => {
    const today = localDate(now, e.timeZone);
    return deliveryDays(e.cadence, addDays(today, 1 - days), today)
      .filter((day) => followed(e, day))
      .map((day) => expectationStatus(e, day, now, evidence));
  });
}
