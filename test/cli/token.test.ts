import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inKeyringSession } from '../support/keyring-session.js';
import { ferrySync } from '../support/ferry-cli.js';

const TOKEN = 'tok-set-0123456789-SECRET';

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

  it('notes that FERRY_TOKEN, which comes first, hides the token just saved', async () => {
    const run = await inKeyringSession(home, `printf '%s' "$SECRET" | node bin/ferry.js token set`, {
      SECRET: TOKEN,
      FERRY_TOKEN: 'another-token',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("token of target 'default' saved in the OS keyring\n");
    // dbus-daemon may warn on stderr too; the note is Ferry's line there.
    expect(run.stderr).toContain('ferry: note: FERRY_TOKEN is set and is used before the keyring\n');
    expect(run.stderr).not.toContain(TOKEN);
  });

  it('refuses an empty stdin', async () => {
    const run = await inKeyringSession(home, `printf '\\n' | node bin/ferry.js token set`);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no token on stdin');
  });

  it('says to use FERRY_TOKEN or FERRY_TOKEN_FILE when no keyring is reachable', () => {
    const env = { HOME: home, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, 'no-bus')}` };
    const saved = ferrySync(['token', 'set', '--target', 'lexer'], env, `${TOKEN}\n`);
    expect(saved.code).toBe(1);
    expect(saved.stderr).toMatch(
      /^ferry: no keyring is reachable to save the token of target 'lexer' .*: set FERRY_TOKEN, or .* FERRY_TOKEN_FILE/,
    );
    expect(saved.stdout + saved.stderr).not.toContain(TOKEN);
    const status = ferrySync(['token', 'status'], { ...env, FERRY_TOKEN: TOKEN });
    expect(status).toMatchObject({
      code: 0,
      stdout: "target 'default': set (FERRY_TOKEN, used for every target)\n",
    });
  });
});
