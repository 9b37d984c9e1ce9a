import type { AgentEvent } from '../engine/agent/agent-ports.js';
import type { JobRecord } from '../engine/job-store.js';
import { fileNameOf } from '../shared/file-name.js';

/** One line a person reads for a job that reached a state worth telling, or undefined. */
export function jobLine(job: JobRecord): string | undefined {
  const name = fileNameOf(job.path);
  const state = job.state;
  switch (state.status) {
    case 'completed':
      return `✓ delivered  ${name} → ${state.remoteId}`;
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
      return { event: 'folder', folder: event.folder, status: event.status, reason: event.reason };
    case 'job-removed':
      return { event: 'job-removed', id: event.id };
    case 'progress':
      return undefined;
  }
}

/**
 * Prints what the agent does: a line per change worth telling (each said once),
 * or JSON lines. Progress goes to the log and the window, not the terminal.
 */
export class WatchReporter {
  private readonly told = new Map<string, string>();

  constructor(
    private readonly write: (text: string) => void,
    private readonly json: boolean,
  ) {}

  onEvent(event: AgentEvent): void {
    if (this.json) {
      const record = eventRecord(event);
      if (record !== undefined) this.write(`${JSON.stringify(record)}\n`);
      return;
    }
    if (event.type === 'folder') {
      this.write(
        `! folder ${event.status}: ${event.folder}${event.reason === undefined ? '' : ` (${event.reason})`}\n`,
      );
      return;
    }
    if (event.type !== 'job') return;
    const line = jobLine(event.job);
    if (line === undefined || this.told.get(event.job.id) === line) return;
    this.told.set(event.job.id, line);
    this.write(`${line}\n`);
  }
}
