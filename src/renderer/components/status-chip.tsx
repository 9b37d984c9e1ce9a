import type { JobStatus } from '../../shared/job.js';

const LABELS: Readonly<Record<JobStatus, string>> = {
  'waiting-for-write': 'Settling',
  queued: 'Queued',
  rejected: 'Rejected',
  'requesting-url': 'Starting',
  uploading: 'Uploading',
  'retry-wait': 'Retrying',
  processing: 'Processing',
  completed: 'Completed',
  failed: 'Failed',
  paused: 'Paused',
};

export function statusLabel(status: JobStatus): string {
  return LABELS[status];
}

export function StatusChip({ status, label }: { readonly status: JobStatus; readonly label?: string }) {
  return <span className={`chip chip-${status}`}>{label ?? LABELS[status]}</span>;
}
