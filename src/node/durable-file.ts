import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PRIVATE_FILE } from './private-modes.js';

/**
 * Makes a directory's entries (a file created or renamed into it) survive a power loss.
 * Windows cannot open a directory for syncing and makes renames durable on its own.
 */
export async function syncDirectory(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `path` with `chunks` so that a crash at any moment leaves either the old file or
 * the whole new one, never a mix: write a temporary file, sync it, rename it over, sync the folder.
 */
export async function replaceFileDurably(path: string, chunks: Iterable<string>): Promise<void> {
  await replaceFile(path, chunks, { sync: true });
}

/**
 * Replaces `path` with `chunks` through a temporary file and a rename, so no reader ever sees a
 * mix. The new file is its owner's alone (0600). With `sync`, the new file also survives a power loss once this resolves; without it, only
 * a crash of the process (the page cache keeps it), at a fraction of the cost.
 */
export async function replaceFile(
  path: string,
  chunks: Iterable<string>,
  options: { readonly sync: boolean },
): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w', PRIVATE_FILE);
  try {
    // A temporary file an interrupted run left keeps its old mode when opened again.
    await handle.chmod(PRIVATE_FILE);
    for (const chunk of chunks) await handle.appendFile(chunk, 'utf8');
    if (options.sync) await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
  if (options.sync) await syncDirectory(dirname(path));
}
