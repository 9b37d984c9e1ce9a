import type { AttemptRecord, JobRecord, SupersededDelivery } from '../engine/job-store.js';
import type { JobError, JobState, JobStatus } from '../shared/job.js';

type Fields = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isOptional = (value: unknown, check: (value: unknown) => boolean): boolean =>
  value === undefined || check(value);

const isJobError = (value: unknown): value is JobError =>
  isObject(value) && isString(value.kind) && isString(value.message);

/** Keyed by every status, so a status added to JobState fails to compile until it is checked here. */
const STATE_FIELDS: Readonly<Record<JobStatus, (state: Fields) => boolean>> = {
  'waiting-for-write': () => true,
  queued: () => true,
  rejected: (s) => isString(s.reason),
  'requesting-url': () => true,
  uploading: (s) => isNumber(s.sent) && isNumber(s.total),
  'retry-wait': (s) => isNumber(s.at) && isNumber(s.attempt) && isJobError(s.error),
  processing: () => true,
  // Records written before statistics and task ids were kept have neither: they still load.
  completed: (s) =>
    isString(s.remoteId) && isOptional(s.statistics, isObject) && isOptional(s.taskId, isString),
  failed: (s) => isJobError(s.error),
  paused: () => true,
};

const isStatus = (value: unknown): value is JobStatus =>
  isString(value) && Object.hasOwn(STATE_FIELDS, value);

function isJobState(value: unknown): value is JobState {
  return isObject(value) && isStatus(value.status) && STATE_FIELDS[value.status](value);
}

const isSuperseded = (value: unknown): value is SupersededDelivery =>
  isObject(value) &&
  isString(value.remoteId) &&
  isNumber(value.size) &&
  isOptional(value.sha256, isString) &&
  isNumber(value.deliveredAt);

const isAttemptRecord = (value: unknown): value is AttemptRecord =>
  isObject(value) && isNumber(value.at) && isString(value.outcome) && isOptional(value.error, isJobError);

/**
 * Whether a value read back from disk is a whole JobRecord. The file may be damaged or written
 * by another version, so every field is checked rather than trusted.
 */
export function isJobRecord(value: unknown): value is JobRecord {
  return (
    isObject(value) &&
    isString(value.id) &&
    isString(value.path) &&
    isOptional(value.folder, isString) &&
    isOptional(value.sendAnyway, (v) => typeof v === 'boolean') &&
    isOptional(value.resendAfter, isNumber) &&
    isOptional(value.superseded, (v) => Array.isArray(v) && v.every(isSuperseded)) &&
    isString(value.target) &&
    isJobState(value.state) &&
    isOptional(value.size, isNumber) &&
    isOptional(value.mtimeMs, isNumber) &&
    isOptional(value.sha256, isString) &&
    isNumber(value.attempts) &&
    Array.isArray(value.history) &&
    value.history.every(isAttemptRecord) &&
    isNumber(value.createdAt) &&
    isNumber(value.updatedAt)
  );
}
