import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTROL_PIPE_FILE, controlAddress, newPipeName } from '../../src/node/control-socket.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * Where `ferry jobs|retry|pause|resume` find the running agent. On Windows named pipes share one
 * namespace for every user: a name derived from the state dir could be taken first by another
 * (issue #16, Windows). The agent's pipe has a random name, kept in its private state dir.
 */
const tempDir = useTempDir('control-address');

describe('the control address', () => {
  it('is the socket in the state dir on Linux and macOS', async () => {
    expect(await controlAddress('/home/ada/.local/state/ferry', 'linux')).toBe(
      '/home/ada/.local/state/ferry/agent.sock',
    );
  });

  it('on Windows, is a random pipe name no one can guess, new for every run', () => {
    const [first, second] = [newPipeName(), newPipeName()];
    expect(first).toMatch(/^\\\\\.\\pipe\\ferry-[0-9a-f]{32}$/);
    expect(second).not.toBe(first);
  });

  it('on Windows, is read from the state dir, where the agent wrote it; none when no agent said', async () => {
    const dir = await tempDir();
    expect(await controlAddress(dir, 'win32')).toBeUndefined();
    const name = newPipeName();
    await writeFile(join(dir, CONTROL_PIPE_FILE), `${name}\n`);
    expect(await controlAddress(dir, 'win32')).toBe(name);
  });

  it.each([
    [
      'a pipe on another machine, which would send the login hash there',
      '\\\\attacker.example\\pipe\\ferry-0123',
    ],
    ['a file', 'C:\\Users\\ada\\secret.txt'],
    ['a guessable pipe', '\\\\.\\pipe\\ferry-C--Users-ada'],
  ])('on Windows, takes nothing but such a name from the file: not %s', async (_what, planted) => {
    const dir = await tempDir();
    await writeFile(join(dir, CONTROL_PIPE_FILE), planted);
    expect(await controlAddress(dir, 'win32')).toBeUndefined();
  });
});
