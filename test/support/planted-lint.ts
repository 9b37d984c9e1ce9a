import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

export interface Planted {
  /** An absolute path inside the source tree, so the project's per-folder rules apply. */
  readonly file: string;
  readonly source: string;
}

/**
 * Writes each file into the source tree, lints them all with the project's own
 * eslint.config.js, as `npm run lint` would, and removes them (and any folder made
 * for them) again, whatever happens. Returns every message, by file path.
 *
 * Type information is off: the rules proven this way read syntax and scope only, and
 * building the TypeScript program for the whole project costs ~10 s per test file.
 */
export async function lintPlanted(planted: readonly Planted[]): Promise<Map<string, Linter.LintMessage[]>> {
  const madeFolders: string[] = [];
  try {
    for (const { file, source } of planted) {
      const made = await mkdir(dirname(file), { recursive: true });
      if (made !== undefined) madeFolders.push(made);
      await writeFile(file, source);
    }
    const eslint = new ESLint({ overrideConfig: tseslint.configs.disableTypeChecked });
    const results = await eslint.lintFiles(planted.map((p) => p.file));
    return new Map(results.map((result) => [result.filePath, result.messages]));
  } finally {
    await Promise.all(planted.map((p) => rm(p.file, { force: true })));
    await Promise.all(madeFolders.map((folder) => rm(folder, { recursive: true, force: true })));
  }
}
