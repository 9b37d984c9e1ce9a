import type { JobView } from '../shared/contract.js';
import { fileNameOf } from '../shared/file-name.js';
import type { JobState } from '../shared/job.js';
import type { JobRecord } from './job-store.js';

function receiptView(state: Extract<JobState, { status: 'completed' }>) {
  return {
    remoteId: state.remoteId,
    ...(state.statistics === undefined ? {} : { statistics: state.statistics }),
    ...(state.taskId === undefined ? {} : { taskId: state.taskId }),
  };
}

/** What the window and `ferry jobs` see of a job. */
export function jobView(job: JobRecord): JobView {
  const { state } = job;
  return {
    id: job.id,
    file: fileNameOf(job.path),
    path: job.path,
    ...(job.folder === undefined ? {} : { folder: job.folder }),
    target: job.target,
    status: state.status,
    state,
    ...(job.size === undefined ? {} : { size: job.size }),
    ...(job.sha256 === undefined ? {} : { sha256: job.sha256 }),
    ...(state.status === 'uploading' ? { sent: state.sent } : {}),
    attempts: job.attempts,
    ...(state.status === 'completed' ? receiptView(state) : {}),
    ...(job.superseded === undefined ? {} : { superseded: job.superseded }),
    ...(state.status === 'failed' ? { error: state.error } : {}),
    ...(state.status === 'rejected' ? { reason: state.reason } : {}),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}
