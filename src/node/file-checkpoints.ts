import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { MultipartCheckpoint, MultipartCheckpoints, UploadedPart } from '../engine/ports.js';
import { replaceFileDurably, syncDirectory } from './durable-file.js';

/** The folder, under the state dir, that holds one JSON file per multipart upload in progress. */
export const CHECKPOINT_FOLDER = 'multipart';

function isPart(value: unknown): value is UploadedPart {
  if (typeof value !== 'object' || value === null) return false;
  const { partNumber, etag, size } = value as Record<string, unknown>;
  return typeof partNumber === 'number' && typeof etag === 'string' && typeof size === 'number';
}

function isCheckpoint(value: unknown): value is MultipartCheckpoint {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c.uploadId === 'string' &&
    typeof c.remoteId === 'string' &&
    typeof c.partSize === 'number' &&
    typeof c.size === 'number' &&
    typeof c.mtimeMs === 'number' &&
    Array.isArray(c.parts) &&
    c.parts.every(isPart)
  );
}

/**
 * Multipart checkpoints as JSON files in the state dir, each replaced durably: a crash at
 * any moment leaves the previous checkpoint or the new one. File names are hashes of the
 * key, so a path never has to be escaped into a file name.
 */
export function fileCheckpoints(stateDir: string): MultipartCheckpoints {
  const folder = join(stateDir, CHECKPOINT_FOLDER);
  const fileOf = (key: string) => join(folder, `${createHash('sha256').update(key).digest('hex')}.json`);
  return {
    async load(key) {
      let text: string;
      try {
        text = await readFile(fileOf(key), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      try {
        const parsed: unknown = JSON.parse(text);
        // An unreadable checkpoint costs a fresh upload, never a wrong one.
        return isCheckpoint(parsed) ? parsed : undefined;
      } catch {
        return undefined;
      }
    },
    async save(key, checkpoint) {
      await mkdir(folder, { recursive: true, mode: 0o700 });
      await replaceFileDurably(fileOf(key), [JSON.stringify(checkpoint)]);
    },
    async clear(key) {
      await rm(fileOf(key), { force: true });
      await syncDirectory(folder).catch(() => undefined);
    },
  };
}
