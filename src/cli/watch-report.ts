import type { AgentEvent } from '../engine/agent/agent-ports.js';
import type { FolderWarning } from '../engine/auto-load.js';
import type { JobRecord } from '../engine/job-store.js';
import { expectationLine, type ExpectationStatus } from '../shared/expectations.js';
import { fileNameOf } from '../shared/file-name.js';
import { formatRunOutcome, runOutcomeRecord, type RunOutcome } from './run-outcome.js';
import { figures } from './upload-report.js';

/** One line a person reads for a job that reached a state worth telling, or undefined. */
export function jobLine(job: JobRecord): string | undefined {
  const name = fileNameOf(job.path);
  const state = job.state;
  switch (state.status) {
    case 'completed':
      return `✓ delivered  ${name} → ${state.remoteId}${figures(state)}`;
    case 'failed':
      return `✗ failed     ${name}: ${state.error.message}`;
    case 'rejected':
      return `✗ rejected   ${name}: ${state.reason}`;
    case 'uploading':
      return `↑ sending    ${name}`;
    case 'retry-wait':
      return `… retrying   ${name} (attempt ${state.attempt}): ${state.error.message}`;
    case 'paused':
      return `‖ paused     ${name}`;
    case 'waiting-for-write':
    case 'queued':
    case 'requesting-url':
    case 'processing':
      return undefined;
  }
}

/** A file refused or failed in an earlier run and unchanged since: told again, or it would be missed. */
export function stillLine(job: JobRecord): string | undefined {
  const name = fileNameOf(job.path);
  const { state } = job;
  if (state.status === 'rejected') return `✗ still rejected  ${name}: ${state.reason}`;
  if (state.status === 'failed') return `✗ still failed    ${name}: ${state.error.message}`;
  return undefined;
}

/** The JSON line `--json` prints for an agent event (progress is left to the window). */
export function eventRecord(event: AgentEvent): Record<string, unknown> | undefined {
  switch (event.type) {
    case 'job': {
      const { id, path, folder, target, state, size, attempts, updatedAt } = event.job;
      return {
        event: 'job',
        id,
        file: path,
        folder,
        target,
        status: state.status,
        state,
        size,
        attempts,
        updatedAt,
      };
    }
    case 'folder':
      return { event: 'folder', folder: event.folder, status: event.change, reason: event.reason };
    case 'job-removed':
      return { event: 'job-removed', id: event.id };
    case 'reachability':
      return { event: 'reachability', target: event.target, offline: event.offline };
    case 'token':
      return { event: 'token', target: event.target, rejected: event.rejected, reason: event.reason };
    case 'expectation':
      return { event: 'expectation', ...expectationRecord(event.status) };
    case 'progress':
      return undefined;
  }
}

/** An expectation as `ferry status --json` and `ferry watch --json` print it: times in ISO 8601 UTC. */
export function expectationRecord(status: ExpectationStatus): Record<string, unknown> {
  const { folder, descriptor, date, due, state, deliveredAt, file, cause, reason } = status;
  return {
    folder,
    descriptor,
    date,
    due: new Date(due).toISOString(),
    state,
    ...(deliveredAt === undefined ? {} : { deliveredAt: new Date(deliveredAt).toISOString() }),
    ...(file === undefined ? {} : { file }),
    ...(cause === undefined ? {} : { cause }),
    ...(reason === undefined ? {} : { reason }),
  };
}

const EXPECTATION_MARK = { delivered: '✓', pending: '…', late: '!', missing: '✗' } as const;

/** The line for an expected file that became late, arrived or went missing. */
export function expectationChangeLine(status: ExpectationStatus): string {
  return `${EXPECTATION_MARK[status.state]} expected   ${expectationLine(status)}`;
}

/** The one line for a target that refused its token, or took a new one. */
export function tokenLine(target: string, rejected: boolean, reason = 'token rejected'): string {
  if (!rejected) return `✓ new token for ${target}: its files go on`;
  // A missing token's reason already says where one can come from (FERRY_TOKEN, a file, the keyring).
  const how = reason.includes('FERRY_TOKEN')
    ? ''
    : `; set a new token (ferry token set --target ${target}, or in the window)`;
  return `✗ ${target}: ${reason} — its files wait${how}`;
}

/** The line for a target that stopped or started answering. */
export function reachabilityLine(target: string, offline: boolean): string {
  return offline
    ? `… offline — waiting for ${target} to answer; no job fails meanwhile`
    : `✓ back online: ${target}`;
}

/**
 * Prints what the agent does: a line per change worth telling (each said once),
 * or JSON lines. Progress goes to the log and the window, not the terminal.
 */
export class WatchReporter {
  private readonly told = new Map<string, string>();
  private readonly offline = new Set<string>();

  constructor(
    private readonly write: (text: string) => void,
    private readonly json: boolean,
  ) {}

  /** How a `--once` run ended: the files still refused from before, one line each, then the summary. */
  ended(outcome: RunOutcome): void {
    for (const job of outcome.still) {
      if (this.json) {
        const record = eventRecord({ type: 'job', job });
        this.write(`${JSON.stringify({ ...record, still: true })}\n`);
      } else {
        const line = stillLine(job);
        if (line !== undefined) this.write(`${line}\n`);
      }
    }
    this.write(
      this.json ? `${JSON.stringify(runOutcomeRecord(outcome))}\n` : `${formatRunOutcome(outcome)}\n`,
    );
  }

  /** A folder the agent will deliver from, but not as its vendor needs (said once, at start). */
  warn(warning: FolderWarning): void {
    this.write(
      this.json
        ? `${JSON.stringify({ event: 'warning', folder: warning.folder, message: warning.message })}\n`
        : `! folder ${warning.folder}: ${warning.message}\n`,
    );
  }

  onEvent(event: AgentEvent): void {
    if (this.json) {
      const record = eventRecord(event);
      if (record !== undefined) this.write(`${JSON.stringify(record)}\n`);
      return;
    }
    if (event.type === 'folder') {
      this.write(
        `! folder ${event.change}: ${event.folder}${event.reason === undefined ? '' : ` (${event.reason})`}\n`,
      );
      return;
    }
    if (event.type === 'reachability') {
      if (event.offline) this.offline.add(event.target);
      else this.offline.delete(event.target);
      this.write(`${reachabilityLine(event.target, event.offline)}\n`);
      return;
    }
    if (event.type === 'token') {
      this.write(`${tokenLine(event.target, event.rejected, event.reason)}\n`);
      return;
    }
    if (event.type === 'expectation') {
      this.write(`${expectationChangeLine(event.status)}\n`);
      return;
    }
    if (event.type !== 'job') return;
    const job = event.job;
    // The engine marks a target offline before its jobs wait for it: a retry-wait of an
    // offline target is that wait, which the offline line already told.
    if (job.state.status === 'retry-wait' && this.offline.has(job.target)) return;
    this.tell(job);
  }

  private tell(job: JobRecord): void {
    const line = jobLine(job);
    if (line === undefined || this.told.get(job.id) === line) return;
    this.told.set(job.id, line);
    this.write(`${line}\n`);
  }
}
