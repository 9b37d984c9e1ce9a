import type { Progress } from '../engine/progress-meter.js';
import { assertNever } from '../shared/assert-never.js';
import { formatBytes } from '../shared/format-bytes.js';
import { formatStatistics } from '../shared/import-statistics.js';
import type { JobError, JobState, Receipt } from '../shared/job.js';

/** One file's outcome, as printed by `ferry upload --json`. */
export type UploadRecord =
  | ({ readonly file: string; readonly status: 'completed'; readonly remoteId: string } & Receipt)
  | { readonly file: string; readonly status: 'failed'; readonly error: JobError }
  | { readonly file: string; readonly status: 'rejected'; readonly reason: string }
  | { readonly file: string; readonly status: 'paused' };

/** The record of a delivery's final state; a state a delivery never ends in is a bug. */
export function toUploadRecord(file: string, state: JobState): UploadRecord {
  switch (state.status) {
    case 'completed': {
      const { status, remoteId, statistics, taskId } = state;
      return {
        file,
        status,
        remoteId,
        ...(taskId === undefined ? {} : { taskId }),
        ...(statistics === undefined ? {} : { statistics }),
      };
    }
    case 'failed':
      return { file, status: 'failed', error: state.error };
    case 'rejected':
      return { file, status: 'rejected', reason: state.reason };
    case 'paused':
      return { file, status: 'paused' };
    case 'waiting-for-write':
    case 'queued':
    case 'requesting-url':
    case 'uploading':
    case 'retry-wait':
    case 'processing':
      throw new Error(`a delivery ended in the non-final state '${state.status}'`);
    default:
      return assertNever(state);
  }
}

/** ` — 12,345 rows, 8 columns` after a delivery whose vendor reported its import; '' otherwise. */
export function figures(receipt: Receipt): string {
  const text = formatStatistics(receipt.statistics);
  return text === '' ? '' : ` — ${text}`;
}

export function formatUploadLine(record: UploadRecord): string {
  switch (record.status) {
    case 'completed':
      return `✓ delivered  ${record.file} (remote id ${record.remoteId})${figures(record)}\n`;
    case 'failed':
      return `✗ failed     ${record.file}\n            ${record.error.kind}: ${record.error.message}\n`;
    case 'rejected':
      return `✗ rejected   ${record.file}\n            ${record.reason}\n`;
    case 'paused':
      return `- paused     ${record.file} (interrupted)\n`;
    default:
      return assertNever(record);
  }
}

export function formatUploadSummary(records: readonly UploadRecord[]): string {
  const count = (status: UploadRecord['status']) => records.filter((r) => r.status === status).length;
  const parts = [
    `${count('completed')} delivered`,
    `${count('failed')} failed`,
    `${count('rejected')} rejected`,
  ];
  if (count('paused') > 0) parts.push(`${count('paused')} interrupted`);
  return `${records.length} file(s): ${parts.join(', ')}\n`;
}

function duration(ms: number): string {
  const s = Math.ceil(ms / 1_000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** `  12.5 MiB / 40 MiB  31%  4.2 MiB/s  ETA 7s`: one line, rewritten in place on a terminal. */
export function formatProgress(progress: Progress): string {
  const percent = progress.total === 0 ? 100 : Math.floor((progress.sent * 100) / progress.total);
  const rate =
    progress.bytesPerSecond === undefined ? '' : `  ${formatBytes(Math.round(progress.bytesPerSecond))}/s`;
  const eta = progress.etaMs === undefined ? '' : `  ETA ${duration(progress.etaMs)}`;
  return `  ${formatBytes(progress.sent)} / ${formatBytes(progress.total)}  ${percent}%${rate}${eta}`;
}

/** What a pipe sees of a delivery's progress: one line per state worth telling. */
export function formatStateLine(state: JobState, now: number): string | undefined {
  switch (state.status) {
    case 'requesting-url':
    case 'uploading':
    case 'processing':
      return `  ${state.status}\n`;
    case 'retry-wait':
      return `  retry ${state.attempt} in ${duration(Math.max(0, state.at - now))}: ${state.error.message}\n`;
    case 'waiting-for-write':
      return '  the file changed during the upload: sending it again\n';
    case 'queued':
    case 'rejected':
    case 'completed':
    case 'failed':
    case 'paused':
      return undefined;
    default:
      return assertNever(state);
  }
}
