import { homedir } from 'node:os';
import { checkStateDir, resolveStateDir } from '../node/state-dir.js';

/**
 * The state dir a command's `--state-dir` (or its absence) names. Kept apart from the watch
 * command so the commands that only need this path do not load the agent and the sandbox.
 */
export function stateDirFor(override: string | undefined): string {
  return resolveStateDir({
    platform: process.platform,
    env: process.env,
    homedir: homedir(),
    cwd: process.cwd(),
    ...(override === undefined ? {} : { override }),
  });
}

/**
 * The state dir of a command that talks to its agent or reads what it keeps, once it is known
 * to be the user's alone (it is not created when missing): in a folder others can write to,
 * the socket could be theirs and the journal or checkpoints planted.
 */
export function privateStateDirFor(override: string | undefined): Promise<string> {
  return checkStateDir(stateDirFor(override));
}
