import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTokenFile } from '../../src/node/token-file.js';

const SECRET = 'file-token-0123456789-SECRET';

let dir = '';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-token-file-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A file as the user would make it: written, then chmod'ed (the umask does not apply to chmod). */
async function made(name: string, text: string, mode: number): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  await chmod(path, mode);
  return path;
}

describe('readTokenFile', () => {
  it('takes a 0600 file of the user, without its newline', async () => {
    const path = await made('token', `${SECRET}\n`, 0o600);
    expect(await readTokenFile(path)).toEqual({ ok: true, token: SECRET });
  });

  it('takes stricter modes too (0400), and CRLF or a BOM from a Windows editor', async () => {
    expect(await readTokenFile(await made('a', `${SECRET}\n`, 0o400))).toEqual({ ok: true, token: SECRET });
    expect(await readTokenFile(await made('b', `\uFEFF${SECRET}\r\n`, 0o600))).toEqual({
      ok: true,
      token: SECRET,
    });
  });

  it.each([
    ['0644', 0o644],
    ['0640', 0o640],
    ['0604', 0o604],
    ['0620', 0o620],
  ])('refuses mode %s, naming the mode and the fix, and never quoting the token', async (shown, mode) => {
    const path = await made('token', `${SECRET}\n`, mode);
    const read = await readTokenFile(path);
    expect(read).toEqual({
      ok: false,
      problem: `has mode ${shown}, so others can read it: run chmod 600 '${path}'`,
    });
    expect(JSON.stringify(read)).not.toContain(SECRET);
  });

  it('refuses a file owned by someone else', async () => {
    const path = await made('token', `${SECRET}\n`, 0o600);
    const owner = (await stat(path)).uid;
    const read = await readTokenFile(path, { platform: 'linux', uid: owner + 1 });
    expect(read).toEqual({
      ok: false,
      problem: `is owned by uid ${owner}, not by you (uid ${owner + 1}): create it as yourself`,
    });
  });

  it('refuses a symbolic link, even to a good file: it could point at any file of the user', async () => {
    const target = await made('token', `${SECRET}\n`, 0o600);
    const link = join(dir, 'link');
    await symlink(target, link);
    expect(await readTokenFile(link)).toEqual({
      ok: false,
      problem: 'is a symbolic link: name the file itself',
    });
  });

  it('refuses what is not a regular file, without hanging on a FIFO', async () => {
    await mkdir(join(dir, 'folder'));
    expect(await readTokenFile(join(dir, 'folder'))).toEqual({
      ok: false,
      problem: 'is a folder, not a file',
    });
    execFileSync('mkfifo', ['-m', '600', join(dir, 'fifo')]);
    expect(await readTokenFile(join(dir, 'fifo'))).toEqual({ ok: false, problem: 'is not a regular file' });
  });

  it('says when the file is missing, empty, more than one line or far too big', async () => {
    expect(await readTokenFile(join(dir, 'nope'))).toEqual({ ok: false, problem: 'does not exist' });
    expect(await readTokenFile(await made('empty', '\n', 0o600))).toEqual({ ok: false, problem: 'is empty' });
    const two = await readTokenFile(await made('two', `${SECRET}\nsecond\n`, 0o600));
    expect(two).toEqual({ ok: false, problem: 'holds 2 lines; it must hold the token alone' });
    const big = await readTokenFile(await made('big', 'x'.repeat(70_000), 0o600));
    expect(big).toEqual({ ok: false, problem: 'is 70000 bytes, too big to hold only a token' });
  });

  it('on Windows, where there are no modes or uids, checks only that it is a file', async () => {
    const path = await made('token', `${SECRET}\n`, 0o644);
    expect(await readTokenFile(path, { platform: 'win32', uid: undefined })).toEqual({
      ok: true,
      token: SECRET,
    });
  });
});
