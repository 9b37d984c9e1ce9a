import type { Stats } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { posix, win32 } from 'node:path';
import { PRIVATE_FOLDER } from './private-modes.js';

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

/** Who is asking: the state dir must be theirs alone. */
export interface StateDirOwner {
  readonly platform: NodeJS.Platform;
  /** The user's id; undefined where the OS has none (Windows). */
  readonly uid: number | undefined;
}

const CURRENT: StateDirOwner = { platform: process.platform, uid: process.getuid?.() };

function modeText(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/**
 * What to do with an existing state dir: use it, tighten it to 0700, or refuse it with the
 * one-line fix. The journal names every file delivered, the ledger their hashes, the grants
 * are live upload URLs and the control socket runs commands: a folder someone else owns, or
 * may write to, could already hold their files (a planted grant, a link where the journal
 * goes), so it is refused rather than repaired. One that others may only read lost nothing
 * that tightening it now does not stop.
 */
export function stateDirVerdict(
  dir: string,
  stats: Pick<Stats, 'uid' | 'mode'>,
  owner: StateDirOwner,
): 'private' | 'tighten' | { readonly problem: string } {
  // Windows has neither uids nor permission bits: the ACL of the user's profile folder
  // (%LOCALAPPDATA%) is what keeps it private, and Node cannot read it.
  if (owner.platform === 'win32' || owner.uid === undefined) return 'private';
  if (stats.uid !== owner.uid)
    return {
      problem: `the state dir ${dir} is owned by uid ${stats.uid}, not by you (uid ${owner.uid}): use a folder of your own (--state-dir or FERRY_STATE_DIR)`,
    };
  if ((stats.mode & 0o022) !== 0)
    return {
      problem: `the state dir ${dir} has mode ${modeText(stats.mode)}, so others can put files in it: check what it holds, then run chmod 700 '${dir}' (or use another --state-dir)`,
    };
  return (stats.mode & 0o077) === 0 ? 'private' : 'tighten';
}

async function checked(dir: string, owner: StateDirOwner): Promise<string> {
  const stats = await stat(dir);
  // mkdir succeeds, or fails with EEXIST, when the name is taken by a file.
  if (!stats.isDirectory()) throw new StateDirError(`the state dir ${dir} is not a folder`);
  const verdict = stateDirVerdict(dir, stats, owner);
  if (typeof verdict === 'object') throw new StateDirError(verdict.problem);
  if (verdict === 'tighten') await chmod(dir, PRIVATE_FOLDER);
  return dir;
}

/**
 * Creates the state dir readable by its owner only (it names every file delivered), and any
 * missing parents likewise. An existing folder must be the user's and writable by nobody else
 * (see stateDirVerdict); one others may read is tightened to 0700.
 */
export async function ensureStateDir(dir: string, owner: StateDirOwner = CURRENT): Promise<string> {
  try {
    await mkdir(dir, { recursive: true, mode: PRIVATE_FOLDER });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
  }
  return checked(dir, owner);
}

/**
 * The same checks for a command that only reads a state dir or talks to its agent
 * (`ferry jobs`, `ferry upload`'s checkpoints): a missing one is not created, as nothing
 * runs there; an existing one must be private, or its socket and journal could be anyone's.
 */
export async function checkStateDir(dir: string, owner: StateDirOwner = CURRENT): Promise<string> {
  try {
    return await checked(dir, owner);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return dir;
    throw error;
  }
}
