import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ferrySync } from '../support/ferry-cli.js';

const TOKEN = 'tok-set-0123456789-SECRET';

/** `script` inside a private D-Bus session with an unlocked gnome-keyring (the real Secret Service). */
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

let home = '';

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'ferry-token-'));
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('ferry token', () => {
  it('stores the token from stdin under the target, without its newline, and never prints it', async () => {
    const run = await inKeyringSession(
      home,
      `node bin/ferry.js token status --target lexer; echo "status-rc=$?"
      printf '%s\\n' "$SECRET" | node bin/ferry.js token set --target lexer; echo "set-rc=$?"
      echo "stored=[$(secret-tool lookup service ferry username lexer)]"
      node bin/ferry.js token status --target lexer; echo "status-rc=$?"`,
      { SECRET: TOKEN },
    );
    expect(run.stdout).toBe(
      [
        "target 'lexer': not set",
        'status-rc=1',
        "token of target 'lexer' saved in the OS keyring",
        'set-rc=0',
        `stored=[${TOKEN}]`,
        "target 'lexer': set (OS keyring)",
        'status-rc=0',
        '',
      ].join('\n'),
    );
    expect(run.stderr).not.toContain(TOKEN);
  });

  it("uses the target 'default' (the one --endpoint/--profile read) when none is named", async () => {
    const run = await inKeyringSession(
      home,
      `printf '%s' "$SECRET" | node bin/ferry.js token set
      secret-tool lookup service ferry username default`,
      { SECRET: TOKEN },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`token of target 'default' saved in the OS keyring\n${TOKEN}`);
  });

  it('refuses an empty stdin', async () => {
    const run = await inKeyringSession(home, `printf '\\n' | node bin/ferry.js token set`);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no token on stdin');
  });

  it('says to use FERRY_TOKEN when no keyring is reachable', () => {
    const env = { HOME: home, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, 'no-bus')}` };
    const saved = ferrySync(['token', 'set', '--target', 'lexer'], env, `${TOKEN}\n`);
    expect(saved.code).toBe(1);
    expect(saved.stderr).toMatch(/^ferry: no keyring: set FERRY_TOKEN instead/);
    expect(saved.stdout + saved.stderr).not.toContain(TOKEN);
    const status = ferrySync(['token', 'status'], { ...env, FERRY_TOKEN: TOKEN });
    expect(status).toMatchObject({
      code: 0,
      stdout: "target 'default': set (FERRY_TOKEN, used for every target)\n",
    });
  });
});
