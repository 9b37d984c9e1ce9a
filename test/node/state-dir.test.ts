import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  StateDirError,
  checkStateDir,
  ensureStateDir,
  resolveStateDir,
  type StateDirContext,
} from '../../src/node/state-dir.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('state-dir');

const linux: StateDirContext = { platform: 'linux', env: {}, homedir: '/home/ada', cwd: '/work' };
const mac: StateDirContext = { platform: 'darwin', env: {}, homedir: '/Users/ada', cwd: '/work' };
const windows: StateDirContext = {
  platform: 'win32',
  env: { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' },
  homedir: 'C:\\Users\\ada',
  cwd: 'C:\\work',
};

describe('resolveStateDir', () => {
  it.each([
    ['Linux', linux, '/home/ada/.local/state/ferry'],
    [
      'Linux with XDG_STATE_HOME',
      { ...linux, env: { XDG_STATE_HOME: '/var/lib/ada' } },
      '/var/lib/ada/ferry',
    ],
    [
      'Linux with a relative XDG_STATE_HOME, which the spec says to ignore',
      { ...linux, env: { XDG_STATE_HOME: 'state' } },
      '/home/ada/.local/state/ferry',
    ],
    [
      'Linux with an empty XDG_STATE_HOME',
      { ...linux, env: { XDG_STATE_HOME: '' } },
      '/home/ada/.local/state/ferry',
    ],
    ['FreeBSD, like Linux', { ...linux, platform: 'freebsd' as const }, '/home/ada/.local/state/ferry'],
    ['macOS', mac, '/Users/ada/Library/Application Support/Ferry'],
    [
      'macOS ignores XDG_STATE_HOME',
      { ...mac, env: { XDG_STATE_HOME: '/x' } },
      '/Users/ada/Library/Application Support/Ferry',
    ],
    ['Windows', windows, 'C:\\Users\\ada\\AppData\\Local\\Ferry'],
    ['Windows without LOCALAPPDATA', { ...windows, env: {} }, 'C:\\Users\\ada\\AppData\\Local\\Ferry'],
  ])('%s', (_name, context, expected) => {
    expect(resolveStateDir(context)).toBe(expected);
  });

  it.each([
    ['an absolute FERRY_STATE_DIR', { ...linux, env: { FERRY_STATE_DIR: '/srv/ferry' } }, '/srv/ferry'],
    [
      'a relative FERRY_STATE_DIR, from the working dir',
      { ...linux, env: { FERRY_STATE_DIR: 'state' } },
      '/work/state',
    ],
    ['FERRY_STATE_DIR on Windows', { ...windows, env: { FERRY_STATE_DIR: 'D:\\ferry' } }, 'D:\\ferry'],
    ['FERRY_STATE_DIR on macOS', { ...mac, env: { FERRY_STATE_DIR: '/tmp/f' } }, '/tmp/f'],
    [
      '--state-dir over FERRY_STATE_DIR',
      { ...linux, env: { FERRY_STATE_DIR: '/srv/ferry' }, override: 'mine' },
      '/work/mine',
    ],
    [
      'an empty FERRY_STATE_DIR is unset',
      { ...linux, env: { FERRY_STATE_DIR: '' } },
      '/home/ada/.local/state/ferry',
    ],
    [
      'an empty --state-dir is unset',
      { ...linux, env: { FERRY_STATE_DIR: '/srv/ferry' }, override: '' },
      '/srv/ferry',
    ],
  ])('honours %s', (_name, context, expected) => {
    expect(resolveStateDir(context)).toBe(expected);
  });
});

describe('ensureStateDir', () => {
  it('creates the dir and its missing parents, readable by the owner only', async () => {
    const dir = join(await tempDir(), 'state', 'ferry');
    expect(await ensureStateDir(dir)).toBe(dir);
    const info = await stat(dir);
    expect(info.isDirectory()).toBe(true);
    expect(info.mode & 0o777).toBe(0o700);
  });

  it('uses an existing dir as it is', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'jobs.journal'), 'kept');
    expect(await ensureStateDir(dir)).toBe(dir);
    expect((await stat(join(dir, 'jobs.journal'))).size).toBe(4);
  });

  it('refuses a path that is a file', async () => {
    const file = join(await tempDir(), 'ferry');
    await writeFile(file, '');
    await expect(ensureStateDir(file)).rejects.toThrow(StateDirError);
    await expect(ensureStateDir(file)).rejects.toThrow(`the state dir ${file} is not a folder`);
  });
});

describe('a state dir others could reach', () => {
  const me = { platform: process.platform, uid: process.getuid?.() ?? 0 };

  it('refuses a folder owned by someone else, naming the fix', async () => {
    const dir = await tempDir();
    // The folder is ours; asking as another uid makes its owner someone else, as root or not.
    const other = { ...me, uid: me.uid + 4242 };
    await expect(ensureStateDir(dir, other)).rejects.toThrow(StateDirError);
    await expect(ensureStateDir(dir, other)).rejects.toThrow(
      `the state dir ${dir} is owned by uid ${me.uid}, not by you (uid ${other.uid}): use a folder of your own (--state-dir or FERRY_STATE_DIR)`,
    );
    await expect(checkStateDir(dir, other)).rejects.toThrow(StateDirError);
  });

  it.each([
    ['0777', 0o777],
    ['0770', 0o770],
    ['0702', 0o702],
    ['1777', 0o1777],
  ])(
    'refuses a folder of mode %s, which others may write to, and leaves it as it is',
    async (shown, mode) => {
      const dir = await tempDir();
      await chmod(dir, mode);
      await expect(ensureStateDir(dir, me)).rejects.toThrow(
        `the state dir ${dir} has mode ${shown}, so others can put files in it: check what it holds, then run chmod 700 '${dir}' (or use another --state-dir)`,
      );
      await expect(checkStateDir(dir, me)).rejects.toThrow(StateDirError);
      expect((await stat(dir)).mode & 0o7777).toBe(mode);
    },
  );

  it.each([
    ['0755', 0o755],
    ['0750', 0o750],
    ['0711', 0o711],
  ])('tightens a folder of its own that others may read (%s) to 0700', async (_shown, mode) => {
    const dir = await tempDir();
    await chmod(dir, mode);
    expect(await ensureStateDir(dir, me)).toBe(dir);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('checks without creating: a missing state dir is left missing', async () => {
    const dir = join(await tempDir(), 'not-yet');
    expect(await checkStateDir(dir, me)).toBe(dir);
    await expect(stat(dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes any folder on Windows, which has no uids or modes to judge', async () => {
    const dir = join(await tempDir(), 'win');
    await mkdir(dir);
    await chmod(dir, 0o777);
    expect(await ensureStateDir(dir, { platform: 'win32', uid: undefined })).toBe(dir);
  });
});
