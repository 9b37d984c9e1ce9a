import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DurableRecords } from '../engine/ports.js';
import { replaceFile, syncDirectory } from './durable-file.js';

export interface RecordsOptions {
  /**
   * `power-loss`: each save is synced to the disk before it returns (about 10 ms here).
   * `process-crash`: replaced atomically but left to the page cache, which a killed process
   * cannot lose; only a power cut in the moments after a save can.
   */
  readonly survives: 'power-loss' | 'process-crash';
}

/**
 * Records as JSON files in a private folder of the state dir, each replaced atomically: a crash
 * at any moment leaves the previous record or the new one. File names are hashes of the key,
 * so a path never has to be escaped into a file name.
 */
export function durableRecords<T>(
  folder: string,
  isRecord: (value: unknown) => value is T,
  options: RecordsOptions = { survives: 'power-loss' },
): DurableRecords<T> {
  const synced = options.survives === 'power-loss';
  // Made once, on the first save: one is saved for every file sent.
  let made: Promise<unknown> | undefined;
  const folderMade = () =>
    (made ??= mkdir(folder, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      made = undefined;
      throw error;
    }));
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
        // An unreadable record costs a fresh upload, never a wrong one.
        return isRecord(parsed) ? parsed : undefined;
      } catch {
        return undefined;
      }
    },
    async save(key, record) {
      await folderMade();
      await replaceFile(fileOf(key), [JSON.stringify(record)], { sync: synced });
    },
    async clear(key) {
      await rm(fileOf(key), { force: true });
      if (synced) await syncDirectory(folder).catch(() => undefined);
    },
  };
}
