import { homedir } from 'node:os';
import { resolveStateDir } from '../node/state-dir.js';

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
