import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** A token is one line; anything bigger is the wrong file, and is not read into memory. */
const MAX_TOKEN_FILE_BYTES = 64 * 1024;

export type TokenFileRead =
  { readonly ok: true; readonly token: string } | { readonly ok: false; readonly problem: string };

export interface TokenFileContext {
  readonly platform: NodeJS.Platform;
  /** The reading user's id; undefined where the OS has none (Windows). */
  readonly uid: number | undefined;
}

const CURRENT: TokenFileContext = { platform: process.platform, uid: process.getuid?.() };

function mode(stats: Stats): string {
  return `0${(stats.mode & 0o777).toString(8).padStart(3, '0')}`;
}

/** What is wrong with the opened file, or undefined when only its owner can touch it. */
function refusal(path: string, stats: Stats, context: TokenFileContext): string | undefined {
  if (stats.isDirectory()) return 'is a folder, not a file';
  if (!stats.isFile()) return 'is not a regular file';
  if (stats.size > MAX_TOKEN_FILE_BYTES) return `is ${stats.size} bytes, too big to hold only a token`;
  // Windows has neither uids nor permission bits: its protection is the ACL of the user's
  // profile folder, which Node cannot read.
  if (context.platform === 'win32' || context.uid === undefined) return undefined;
  if (stats.uid !== context.uid)
    return `is owned by uid ${stats.uid}, not by you (uid ${context.uid}): create it as yourself`;
  if ((stats.mode & 0o077) !== 0)
    return `has mode ${mode(stats)}, so others can read it: run chmod 600 '${path}'`;
  return undefined;
}

const OPEN_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'does not exist',
  // Linux says ELOOP for a link opened with O_NOFOLLOW; the BSDs and macOS say EMLINK.
  ELOOP: 'is a symbolic link: name the file itself',
  EMLINK: 'is a symbolic link: name the file itself',
  EACCES: 'cannot be read by you',
  EPERM: 'cannot be read by you',
};

function openProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const known = code === undefined ? undefined : OPEN_PROBLEMS[code];
  return known ?? `cannot be opened (${code ?? (error instanceof Error ? error.message : String(error))})`;
}

/**
 * Reads a token file the user made. Ferry never writes one: a token on disk is the
 * user's choice, so it is taken only when nobody else could have read or replaced it.
 * The checks run on the opened descriptor, so the file judged is the file read; a
 * link is refused rather than followed, since it could point at any file of the user's
 * (a private key) whose content would then be sent to the vendor. Problems never quote
 * the content.
 */
export async function readTokenFile(
  path: string,
  context: TokenFileContext = CURRENT,
): Promise<TokenFileRead> {
  // O_NONBLOCK: opening a FIFO must not wait for a writer before it can be refused.
  const flags =
    context.platform === 'win32'
      ? constants.O_RDONLY
      : constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  let handle: FileHandle;
  try {
    handle = await open(path, flags);
  } catch (error) {
    return { ok: false, problem: openProblem(error) };
  }
  try {
    const problem = refusal(path, await handle.stat(), context);
    if (problem !== undefined) return { ok: false, problem };
    const lines = (await handle.readFile('utf8'))
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    if (lines.length > 1)
      return { ok: false, problem: `holds ${lines.length} lines; it must hold the token alone` };
    const token = lines[0]?.trim() ?? '';
    if (token === '') return { ok: false, problem: 'is empty' };
    return { ok: true, token };
  } finally {
    await handle.close();
  }
}
