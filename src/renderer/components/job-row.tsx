import type { JobView, ProgressView } from '../../shared/contract.js';
import { formatBytes } from '../../shared/format-bytes.js';
import { clockTime, duration, relativeTime } from '../format.js';
import { StatusChip } from './status-chip.js';

interface JobRowProps {
  readonly job: JobView;
  readonly progress: ProgressView | undefined;
  readonly now: number;
  /** Its target does not answer: the job waits for it, its last error is no failure. */
  readonly offline: boolean;
  readonly selected: boolean;
  readonly onSelect: (id: string) => void;
}

/** What a row says under the name: the one thing worth knowing about the job right now. */
function detailLine(job: JobView, progress: ProgressView | undefined, offline: boolean): string {
  const where = job.folder ?? `uploaded to ${job.target}`;
  if (offline && job.state.status === 'retry-wait') return `Offline — waiting for ${job.target} to answer`;
  switch (job.state.status) {
    case 'uploading': {
      const sent = progress?.sent ?? job.state.sent;
      const total = progress?.total ?? job.state.total;
      const rate =
        progress?.bytesPerSecond === undefined ? '' : ` · ${formatBytes(progress.bytesPerSecond)}/s`;
      const eta = progress?.etaMs === undefined ? '' : ` · ${duration(progress.etaMs)} left`;
      return `${formatBytes(sent)} of ${formatBytes(total)}${rate}${eta}`;
    }
    case 'retry-wait':
      return `Attempt ${job.state.attempt} failed (${job.state.error.message}) · next try at ${clockTime(job.state.at)}`;
    case 'processing':
      return `${where} · the vendor is processing the file`;
    case 'rejected':
      return job.state.reason;
    case 'failed':
      return `${job.state.error.message} · ${job.attempts} attempt${job.attempts === 1 ? '' : 's'}`;
    case 'completed':
      return `${where} → ${job.target} · ${job.size === undefined ? '' : formatBytes(job.size)}`;
    case 'waiting-for-write':
    case 'queued':
    case 'requesting-url':
    case 'paused':
      return `${where} → ${job.target}`;
  }
}

export function JobRow({ job, progress, now, offline, selected, onSelect }: JobRowProps) {
  const uploading = job.state.status === 'uploading' ? job.state : undefined;
  const fraction =
    uploading === undefined ? undefined : (progress?.sent ?? uploading.sent) / Math.max(1, uploading.total);
  return (
    <div
      id={`job-${job.id}`}
      role="option"
      aria-selected={selected}
      className={`job-row${selected ? ' selected' : ''}`}
      data-status={job.status}
      onClick={() => {
        onSelect(job.id);
      }}
    >
      <div className="job-main">
        <span className="job-name">{job.file}</span>
        <span className="job-line">{detailLine(job, progress, offline)}</span>
        {fraction !== undefined && (
          <progress className="job-progress" value={fraction} max={1} aria-label={`${job.file} progress`} />
        )}
      </div>
      <div className="job-side">
        <StatusChip
          status={job.status}
          {...(offline && job.status === 'retry-wait' ? { label: 'Offline' } : {})}
        />
        <span className="job-time">{relativeTime(job.updatedAt, now)}</span>
      </div>
    </div>
  );
}
