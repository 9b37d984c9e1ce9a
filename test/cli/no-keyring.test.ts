import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';

/**
 * Issue 7: with no keyring reachable (the session bus address points nowhere, as on a
 * server or in a container), every command that needs the token says so in one line and
 * names the two ways out, FERRY_TOKEN and a 0600 FERRY_TOKEN_FILE, and Ferry writes the
 * token nowhere. The real `ferry` binary (`npm run build` first) against a real sandbox.
 */

const WAYS_OUT =
  'set FERRY_TOKEN, or put the token alone in a file only you can read (chmod 600) and set FERRY_TOKEN_FILE to its path';
const NO_KEYRING_READ = `no keyring is reachable to read the token of target 'default' (`;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let home = '';
let sandbox: RunningSandbox;

/** A clean environment: no FERRY_TOKEN from the machine running the tests, no keyring. */
function environment(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, 'no-bus')}`,
    ...extra,
  };
}

function start(args: readonly string[], extra: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['bin/ferry.js', ...args], { env: environment(extra) });
}

function ferry(args: readonly string[], extra: Record<string, string> = {}, input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = start(args, extra);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(input);
  });
}

/** Every file under `dir` that holds `text`: where a token must never be written. */
async function filesHolding(dir: string, text: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path)).includes(text)) found.push(path);
  }
  return found;
}

/** A token file as the user makes it: written, then chmod'ed. */
async function tokenFile(token: string, mode: number): Promise<string> {
  const path = join(home, 'ferry-token');
  await writeFile(path, `${token}\n`);
  await chmod(path, mode);
  return path;
}

async function dataFile(): Promise<string> {
  const folder = join(home, 'out');
  await mkdir(folder, { recursive: true });
  const file = join(folder, 'customers-2024-01-31-v1.csv');
  await writeFile(file, 'id\n1\n');
  return file;
}

const quick = () => ['--endpoint', `${sandbox.endpoint}/v1/uploads`, '--profile', 'lexer'];
const delivered = async () => (await sandbox.deliveries()).map((d) => d.filename);

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, log: () => undefined });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'ferry-no-keyring-'));
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('without a keyring', () => {
  it('`ferry token set` refuses in one line with both ways out, and writes no file', async () => {
    const secret = 'set-token-0123456789-SECRET';
    const run = await ferry(['token', 'set'], {}, `${secret}\n`);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^ferry: no keyring is reachable to save the token of target 'default' \(.+\), and Ferry never writes a token to a file: /,
    );
    expect(lines[0]?.endsWith(WAYS_OUT)).toBe(true);
    expect(run.stderr).not.toContain(secret);
    expect(await filesHolding(home, secret)).toEqual([]);
  });

  it('`ferry token set` refuses before it waits for a token on stdin', async () => {
    const child = start(['token', 'set']);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // stdin stays open: a command that read it first would wait here for good.
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^ferry: no keyring is reachable to save the token of target 'default' \(/);
  }, 20_000);

  it('`ferry token status` says so, and where a token file is refused, why', async () => {
    const none = await ferry(['token', 'status']);
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/^target 'default': not set: no keyring is reachable \(.+\); /);
    expect(none.stdout.endsWith(`${WAYS_OUT}\n`)).toBe(true);

    const secret = 'status-token-0123456789-SECRET';
    const file = await tokenFile(secret, 0o644);
    const refused = await ferry(['token', 'status'], { FERRY_TOKEN_FILE: file });
    expect(refused).toEqual({
      code: 1,
      stdout: `target 'default': not usable: FERRY_TOKEN_FILE ${file} has mode 0644, so others can read it: run chmod 600 '${file}'\n`,
      stderr: '',
    });
    await chmod(file, 0o600);
    const taken = await ferry(['token', 'status'], { FERRY_TOKEN_FILE: file });
    expect(taken).toEqual({
      code: 0,
      stdout: "target 'default': set (FERRY_TOKEN_FILE, used for every target)\n",
      stderr: '',
    });
  });

  it('`ferry upload` says so with both ways out, then delivers with a 0600 file and refuses a 0644 one', async () => {
    const file = await dataFile();
    const none = await ferry(['upload', ...quick(), file]);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain(`no-token: ${NO_KEYRING_READ}`);
    expect(none.stdout).toContain(`): ${WAYS_OUT}\n`);

    const tokenPath = await tokenFile(sandbox.token, 0o644);
    const refused = await ferry(['upload', ...quick(), file], { FERRY_TOKEN_FILE: tokenPath });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      `no-token: the token file is refused: FERRY_TOKEN_FILE ${tokenPath} has mode 0644, so others can read it: run chmod 600 '${tokenPath}'\n`,
    );
    expect(refused.stdout + refused.stderr).not.toContain(sandbox.token);
    expect(await delivered()).not.toContain('customers-2024-01-31-v1.csv');

    await chmod(tokenPath, 0o600);
    // The most verbose log level: if the token were logged anywhere, it would be here.
    const taken = await ferry(['upload', ...quick(), file], {
      FERRY_TOKEN_FILE: tokenPath,
      FERRY_LOG_LEVEL: 'trace',
    });
    expect(taken.stdout).toContain(`✓ delivered  ${file}`);
    expect(taken.code).toBe(0);
    expect(taken.stdout + taken.stderr).not.toContain(sandbox.token);
    expect(await delivered()).toContain('customers-2024-01-31-v1.csv');
  });

  it('`ferry watch` says so, then delivers with a 0600 file, keeping the token out of its log and state', async () => {
    await dataFile();
    const watchOnce = (stateDir: string) => [
      'watch',
      join(home, 'out'),
      ...quick(),
      '--state-dir',
      join(home, stateDir),
      '--once',
      '--settle',
      '0.2',
    ];
    const none = await ferry(watchOnce('state'));
    expect(none.stdout).toContain(NO_KEYRING_READ);
    expect(none.stdout).toContain(`): ${WAYS_OUT}`);

    const tokenPath = await tokenFile(sandbox.token, 0o600);
    // A fresh state dir: the failed job of the first run is not retried on its own.
    const taken = await ferry(watchOnce('state2'), { FERRY_TOKEN_FILE: tokenPath });
    expect(taken.stdout).toMatch(/✓ delivered/);
    expect(taken.code).toBe(0);
    expect(taken.stdout + taken.stderr).not.toContain(sandbox.token);
    const logText = await readFile(join(home, 'state2', 'ferry.log'), 'utf8');
    expect(logText).toContain('customers-2024-01-31-v1.csv');
    // The token is in the user's own file and nowhere else: not in logs, journal, ledger.
    expect(await filesHolding(home, sandbox.token)).toEqual([tokenPath]);
  });

  it('the `ferry watch --ui` token field gets the same refusal, and nothing is written', async () => {
    await dataFile();
    const child = start(['watch', join(home, 'out'), ...quick(), '--state-dir', join(home, 'state'), '--ui']);
    try {
      const url = await new Promise<URL>((resolve, reject) => {
        let out = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const line = /UI: (\S+)/.exec(out)?.[1];
          if (line !== undefined) resolve(new URL(line));
        });
        child.on('exit', (code) => {
          reject(new Error(`ferry watch --ui exited ${code ?? 'by a signal'}: ${out}`));
        });
      });
      const secret = 'window-token-0123456789-SECRET';
      const answer = await fetch(new URL('/commands/settings.setToken', url), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${url.hash.replace('#token=', '')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ target: 'default', token: secret }),
      });
      const body = (await answer.json()) as { kind: string; message: string };
      expect(answer.ok).toBe(false);
      expect(body.message).toMatch(
        /^no keyring is reachable to save the token of target 'default' \(.+\), and Ferry never writes a token to a file: /,
      );
      expect(body.message.endsWith(WAYS_OUT)).toBe(true);
      expect(body.message).not.toContain(secret);
      expect(await filesHolding(home, secret)).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
    }
  });

  it('`ferry doctor` fails the token with both ways out, and passes with a 0600 file', async () => {
    const doctor = (extra: Record<string, string> = {}) =>
      ferry(['doctor', ...quick(), '--state-dir', join(home, 'state')], extra);
    const none = await doctor();
    expect(none.code).toBe(1);
    expect(none.stdout).toContain(
      `✗ token for 'default' present: no FERRY_TOKEN, no FERRY_TOKEN_FILE and no keyring to read\n    fix: ${WAYS_OUT}\n`,
    );
    expect(none.stdout).toMatch(
      /✗ keyring reachable: .+\n {4}fix: run inside a desktop session .+FERRY_TOKEN_FILE/,
    );

    const tokenPath = await tokenFile(sandbox.token, 0o640);
    const refused = await doctor({ FERRY_TOKEN_FILE: tokenPath });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      `✗ token for 'default' present: FERRY_TOKEN_FILE ${tokenPath} has mode 0640, so others can read it: run chmod 600 '${tokenPath}'\n`,
    );

    await chmod(tokenPath, 0o600);
    const taken = await doctor({ FERRY_TOKEN_FILE: tokenPath });
    expect(taken.stdout).toContain("✓ token for 'default' present: from FERRY_TOKEN_FILE\n");
    expect(taken.stdout).toContain("✓ token of 'default' accepted by the vendor");
    expect(taken.stdout).toMatch(
      /– keyring reachable: no \(.+\); not needed, the tokens come from the environment\n/,
    );
    expect(taken.stdout).toContain('all checks passed');
    expect(taken.code).toBe(0);
    for (const run of [none, refused, taken]) expect(run.stdout + run.stderr).not.toContain(sandbox.token);
  });
});
