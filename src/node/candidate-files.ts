import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** A file named on the command line or found directly inside a named folder. */
export interface CandidateFile {
  /** The path as the user would recognise it: as given, or joined to its folder. */
  readonly path: string;
  readonly name: string;
}

export class MissingPathError extends Error {
  override readonly name = 'MissingPathError';
  constructor(readonly path: string) {
    super(`no such file or folder: ${path}`);
  }
}

async function statOrMissing(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new MissingPathError(path);
    throw error;
  }
}

/** Regular files directly inside `folder` (not recursive), sorted by name. */
async function filesInFolder(folder: string): Promise<CandidateFile[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files: CandidateFile[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    // Follow symlinks: a link to a file is delivered like the file.
    const isFile =
      entry.isFile() || (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isFile());
    if (isFile === true) files.push({ path, name: entry.name });
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Expands files and folders into the files they name, in the order given.
 * A path that does not exist is a MissingPathError: nothing is silently skipped.
 */
export async function candidateFiles(paths: readonly string[]): Promise<CandidateFile[]> {
  const groups = await Promise.all(
    paths.map(async (path) => {
      const info = await statOrMissing(path);
      return info.isDirectory() ? filesInFolder(path) : [{ path, name: basename(path) }];
    }),
  );
  return groups.flat();
}
