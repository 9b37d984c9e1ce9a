import { spawn } from 'node:child_process';
import { chmod, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { dropFiles, ferrySync } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * Another local user can reach nothing of an agent's state dir: not under umask 000, not in a
 * folder others may write to (issue #16, finding 1).
 */
let sandbox: RunningSandbox;
const tempDir = useTempDir('state-privacy');

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

/** Every entry under `dir` with its permission bits, the folder itself included. */
async function modes(dir: string): Promise<Map<string, number>> {
  const found = new Map<string, number>([['.', (await lstat(dir)).mode & 0o7777]]);
  for (const entry of await readdir(dir, { recursive: true })) {
    found.set(entry, (await lstat(join(dir, entry))).mode & 0o7777);
  }
  return found;
}

describe('the state dir of an agent started under umask 000', () => {
  it('is 0700 and holds only 0600 files, the control socket and the log included', async () => {
    const folder = await tempDir();
    const stateDir = join(await tempDir(), 'state');
    await dropFiles(folder, 'private', 2, 20);
    const agent = spawn(
      'sh',
      [
        '-c',
        'umask 000 && exec "$@"',
        'sh',
        process.execPath,
        'bin/ferry.js',
        'watch',
        folder,
        '--endpoint',
        `${sandbox.endpoint}/v1/uploads`,
        '--profile',
        'lexer',
        '--state-dir',
        stateDir,
        '--settle',
        '0.3',
      ],
      { env: { ...process.env, FERRY_TOKEN: sandbox.token }, stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((resolve) => agent.on('exit', resolve));
    try {
      await expect
        .poll(() => ferrySync(['jobs', '--state-dir', stateDir, '--json']).stdout, { timeout: 15_000 })
        .toMatch(/"completed"[\s\S]*"completed"/);
      const running = await modes(stateDir);
      expect(running.get('agent.sock')).toBe(0o600);
      for (const [entry, mode] of running) {
        const isFolder = (await lstat(join(stateDir, entry))).isDirectory();
        expect({ entry, mode: mode.toString(8) }).toEqual({ entry, mode: isFolder ? '700' : '600' });
      }
    } finally {
      agent.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

describe('a state dir others may write to', () => {
  it('is refused by the agent and by the commands that talk to it, in one line with the fix', async () => {
    const folder = await tempDir();
    const stateDir = await tempDir();
    await chmod(stateDir, 0o777);
    const line = `ferry: the state dir ${stateDir} has mode 0777, so others can put files in it: check what it holds, then run chmod 700 '${stateDir}' (or use another --state-dir)\n`;
    const watch = ferrySync(
      [
        'watch',
        folder,
        '--once',
        '--endpoint',
        `${sandbox.endpoint}/v1/uploads`,
        '--profile',
        'lexer',
        '--state-dir',
        stateDir,
      ],
      { FERRY_TOKEN: sandbox.token },
    );
    expect(watch).toMatchObject({ code: 2, stderr: line });
    expect(ferrySync(['jobs', '--state-dir', stateDir])).toMatchObject({ code: 2, stderr: line });
    expect(ferrySync(['pause', '--state-dir', stateDir])).toMatchObject({ code: 2, stderr: line });
    // Nothing was written into it, and its mode is the user's to fix.
    expect(await readdir(stateDir)).toEqual([]);
    expect((await lstat(stateDir)).mode & 0o777).toBe(0o777);
  });
});
