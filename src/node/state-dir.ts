import { mkdir, stat } from 'node:fs/promises';
import { posix, win32 } from 'node:path';

/** What the default state dir depends on, passed in so every platform can be tested anywhere. */
export interface StateDirContext {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir: string;
  /** Resolves a relative override. */
  readonly cwd: string;
  /** `--state-dir`, which wins over FERRY_STATE_DIR. */
  readonly override?: string;
}

const nonEmpty = (value: string | undefined): value is string => value !== undefined && value !== '';

/**
 * Where the agent keeps its journal, ledger and lock. The desktop app uses the same folder, so
 * the tray app and `ferry` see the same jobs.
 */
export function resolveStateDir(context: StateDirContext): string {
  const { platform, env, homedir } = context;
  const path = platform === 'win32' ? win32 : posix;
  const override = nonEmpty(context.override) ? context.override : env.FERRY_STATE_DIR;
  if (nonEmpty(override)) return path.resolve(context.cwd, override);
  if (platform === 'win32') {
    const localAppData = env.LOCALAPPDATA;
    return path.join(nonEmpty(localAppData) ? localAppData : path.join(homedir, 'AppData', 'Local'), 'Ferry');
  }
  if (platform === 'darwin') return path.join(homedir, 'Library', 'Application Support', 'Ferry');
  const xdgStateHome = env.XDG_STATE_HOME;
  // The XDG spec says a relative value is invalid and must be ignored.
  const base =
    nonEmpty(xdgStateHome) && path.isAbsolute(xdgStateHome)
      ? xdgStateHome
      : path.join(homedir, '.local', 'state');
  return path.join(base, 'ferry');
}

export class StateDirError extends Error {
  override readonly name = 'StateDirError';
}

/**
 * Creates the state dir readable by its owner only (it names every file delivered), and any
 * missing parents likewise. An existing folder is used as it is.
 */
export async function ensureStateDir(dir: string): Promise<string> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
  }
  // mkdir succeeds, or fails with EEXIST, when the name is taken by a file.
  if (!(await stat(dir)).isDirectory()) throw new StateDirError(`the state dir ${dir} is not a folder`);
  return dir;
}
