import { join } from 'node:path';
import type {
  MultipartCheckpoint,
  MultipartCheckpoints,
  PendingGrant,
  PendingGrants,
  UploadedPart,
} from '../engine/ports.js';
import { durableRecords } from './durable-records.js';

/** The folder, under the state dir, that holds one JSON file per multipart upload in progress. */
export const CHECKPOINT_FOLDER = 'multipart';
/** The folder, under the state dir, that holds the presigned URL of each upload in progress. */
export const GRANT_FOLDER = 'grants';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isPart(value: unknown): value is UploadedPart {
  if (!isObject(value)) return false;
  const { partNumber, etag, size } = value;
  return typeof partNumber === 'number' && typeof etag === 'string' && typeof size === 'number';
}

/** Multipart checkpoints in the state dir: a restart sends only the parts the server lacks. */
export function fileCheckpoints(stateDir: string): MultipartCheckpoints {
  return durableRecords(
    join(stateDir, CHECKPOINT_FOLDER),
    (c): c is MultipartCheckpoint =>
      isObject(c) &&
      typeof c.uploadId === 'string' &&
      typeof c.remoteId === 'string' &&
      typeof c.partSize === 'number' &&
      typeof c.size === 'number' &&
      typeof c.mtimeMs === 'number' &&
      (c.completing === undefined || typeof c.completing === 'boolean') &&
      Array.isArray(c.parts) &&
      c.parts.every(isPart),
  );
}

/**
 * Presigned URLs granted and not yet known to be delivered. They sit in the private state dir
 * like the journal; a URL is good for one object and expires within the vendor's TTL.
 * One is saved for every file sent, so it is not synced to the disk: that would cost more than
 * the upload of a small file, and what it guards against, a killed agent, cannot lose it.
 */
export function fileGrants(stateDir: string): PendingGrants {
  return durableRecords(
    join(stateDir, GRANT_FOLDER),
    (g): g is PendingGrant =>
      isObject(g) &&
      typeof g.remoteId === 'string' &&
      typeof g.url === 'string' &&
      // Saved by a Ferry before grants named their endpoint: a fresh URL is asked for.
      typeof g.endpoint === 'string',
    { survives: 'process-crash' },
  );
}
