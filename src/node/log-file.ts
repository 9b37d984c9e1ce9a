import { chmod, open, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { destination, type DestinationStream } from 'pino';
import { PRIVATE_FILE } from './private-modes.js';

export const LOG_FILE = 'ferry.log';
const MAX_LOG_BYTES = 10 * 1024 * 1024;
const KEPT_LOGS = 3;

/**
 * The agent's log in its state dir, rotated at start when it has grown past
 * 10 MiB: ferry.log → ferry.log.1 → … → ferry.log.3, the oldest dropped. It is its owner's
 * alone (0600): it says what was sent where.
 */
export async function openLogFile(stateDir: string): Promise<DestinationStream> {
  const path = join(stateDir, LOG_FILE);
  const size = (await stat(path).catch(() => undefined))?.size ?? 0;
  if (size > MAX_LOG_BYTES) {
    for (let n = KEPT_LOGS - 1; n >= 1; n -= 1) {
      await rename(`${path}.${n}`, `${path}.${n + 1}`).catch(() => undefined);
    }
    await rename(path, `${path}.1`);
  }
  // Made (or tightened) here: pino would create it with the umask's mode.
  await (await open(path, 'a', PRIVATE_FILE)).close();
  await chmod(path, PRIVATE_FILE);
  return destination({ dest: path, mkdir: true, sync: false });
}
