import { mkdir, rename, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

export const SENT_FOLDER = 'sent';

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

/**
 * Moves a delivered file into `sent/` beside it. An earlier file of the same
 * name there is kept: the new one gets " (2)", " (3)"… before its extension,
 * so nothing delivered is ever overwritten.
 */
export async function moveToSent(path: string): Promise<string> {
  const folder = join(dirname(path), SENT_FOLDER);
  await mkdir(folder, { recursive: true });
  const name = basename(path);
  const ext = /\.(?:csv|json|ndjson)(?:\.gz)?$/.exec(name)?.[0] ?? extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let target = join(folder, name);
  for (let n = 2; await exists(target); n += 1) target = join(folder, `${stem} (${n})${ext}`);
  await rename(path, target);
  return target;
}
