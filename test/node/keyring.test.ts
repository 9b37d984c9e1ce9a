import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';

/**
 * Runs `script` (bash) inside a private D-Bus session with an unlocked gnome-keyring: the
 * real Secret Service, as on a desktop. Needs the Debian packages gnome-keyring, dbus-x11
 * and libsecret-tools (installed by .ci/run).
 */
function inKeyringSession(home: string, script: string, env: Record<string, string> = {}) {
  const setup = `eval "$(printf 'test-password' | gnome-keyring-daemon --unlock --components=secrets --daemonize)" >/dev/null\n`;
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('dbus-run-session', ['--', 'bash', '-c', setup + script], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '', HOME: home, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

const SAVE = `node --input-type=module -e "
  import { TokenStore } from './dist/node/token-store.js';
  await new TokenStore({ env: {} }).save(process.env.TARGET, process.env.TOKEN_TO_SAVE);
"`;

let home = '';
let sandbox: RunningSandbox | undefined;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'ferry-keyring-'));
});

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
  await rm(home, { recursive: true, force: true });
});

describe('tokens in the real Secret Service', () => {
  it('saves a token under service "ferry", account <target>, and reads it back', async () => {
    const run = await inKeyringSession(
      home,
      `${SAVE}
      secret-tool lookup service ferry username lexer; echo
      node --input-type=module -e "
        import { TokenStore } from './dist/node/token-store.js';
        console.log('read:' + await new TokenStore({ env: {} }).token('lexer'));
        console.log('env:' + await new TokenStore({ env: { FERRY_TOKEN: 'from-env' } }).token('lexer'));
      "`,
      { TARGET: 'lexer', TOKEN_TO_SAVE: 'kr-token-0123456789' },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('kr-token-0123456789\nread:kr-token-0123456789\nenv:from-env\n');
  });

  it('lets `ferry upload` deliver with the token from the keyring alone', async () => {
    sandbox = await startSandbox({ port: 0, log: () => undefined });
    const dir = join(home, 'work');
    await mkdir(join(dir, 'out'), { recursive: true });
    const file = join(dir, 'out', 'customers-2024-01-31-v1.csv');
    await writeFile(file, 'id\n1\n');
    const config = join(dir, 'ferry.json');
    await writeFile(
      config,
      JSON.stringify({
        targets: { lexer: { profile: 'lexer', endpoint: `${sandbox.endpoint}/v1/uploads` } },
        folders: [{ path: 'out', target: 'lexer' }],
      }),
    );
    const run = await inKeyringSession(
      home,
      `${SAVE}\nnode bin/ferry.js upload --config "${config}" "${file}"`,
      {
        TARGET: 'lexer',
        TOKEN_TO_SAVE: sandbox.token,
      },
    );
    expect(run.stdout).toContain(`✓ delivered  ${file}`);
    expect(run.code).toBe(0);
    expect((await sandbox.deliveries()).map((d) => d.filename)).toEqual(['customers-2024-01-31-v1.csv']);
  });
});
