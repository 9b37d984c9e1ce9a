import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { freePort, startTinyproxy, type RunningProxy } from '../support/tinyproxy.js';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
}

/** No keyring unless a test asks for one: the bus address points nowhere. */
const BASE_ENV = {
  PATH: process.env.PATH ?? '',
  DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/ferry-test-bus',
};

function run(command: string, args: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd: process.cwd() });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout });
    });
  });
}

function doctor(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return run(process.execPath, ['bin/ferry.js', 'doctor', '--state-dir', join(dir, 'state'), ...args], {
    ...BASE_ENV,
    HOME: dir,
    ...env,
  });
}

/** Inside a private D-Bus session with an unlocked gnome-keyring: the real Secret Service. */
function doctorWithKeyring(args: readonly string[], env: Record<string, string>): Promise<Run> {
  const setup = `eval "$(printf 'test-password' | gnome-keyring-daemon --unlock --components=secrets --daemonize)" >/dev/null`;
  const command = ['node', 'bin/ferry.js', 'doctor', '--state-dir', join(dir, 'state'), ...args]
    .map((word) => `'${word}'`)
    .join(' ');
  return run('dbus-run-session', ['--', 'bash', '-c', `${setup}\n${command}`], {
    PATH: BASE_ENV.PATH,
    HOME: dir,
    ...env,
  });
}

let dir = '';
let sandbox: RunningSandbox;
let proxy: RunningProxy | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-doctor-'));
  await mkdir(join(dir, 'out'));
  sandbox = await startSandbox({ port: 0, log: () => undefined });
});

afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

async function config(
  overrides: { endpoint?: string; folder?: string; extra?: Record<string, unknown> } = {},
) {
  const path = join(dir, 'ferry.json');
  await writeFile(
    path,
    JSON.stringify({
      targets: {
        lexer: { profile: 'lexer', endpoint: overrides.endpoint ?? `${sandbox.endpoint}/v1/uploads` },
      },
      // A good lexer folder sends what Lexer needs to load NDJSON by itself.
      folders: [
        {
          path: overrides.folder ?? 'out',
          target: 'lexer',
          fields: { dataset_id: 'ds-1', record_type: 'customer_record' },
        },
      ],
      ...overrides.extra,
    }),
  );
  return path;
}

/** The ✗ line that starts with `title` and the fix line under it. */
function failure(output: string, title: string): string {
  const lines = output.split('\n');
  const index = lines.findIndex((line) => line.startsWith(`✗ ${title}`));
  if (index === -1) throw new Error(`no ✗ ${title} in:\n${output}`);
  return `${lines[index] ?? ''}\n${lines[index + 1] ?? ''}`;
}

describe('ferry doctor', () => {
  it('passes every check with a good config, a real keyring and a token the vendor takes', async () => {
    const path = await config();
    const { code, stdout } = await doctorWithKeyring(['--config', path], { FERRY_TOKEN: sandbox.token });
    expect(stdout).toContain('all checks passed');
    expect(stdout).toContain("✓ token of 'lexer' accepted by the vendor");
    expect(stdout).toContain('✓ keyring reachable');
    expect(stdout).toMatch(/✓ clock: within \d+ s/);
    expect(stdout).not.toContain(sandbox.token);
    expect(code).toBe(0);
  });

  it('catches an unknown config key, naming it', async () => {
    const path = await config({ extra: { proxi: 'http://p:1' } });
    const { code, stdout } = await doctor(['--config', path], { FERRY_TOKEN: sandbox.token });
    expect(failure(stdout, 'config')).toMatch(/proxi: unknown key[\s\S]*fix: correct the keys named above/);
    expect(code).toBe(1);
  });

  it('catches a missing folder', async () => {
    const path = await config({ folder: 'not-there' });
    const { code, stdout } = await doctor(['--config', path], { FERRY_TOKEN: sandbox.token });
    expect(failure(stdout, `folder ${join(dir, 'not-there')}`)).toMatch(
      /does not exist\n\s+fix: create it \(mkdir -p/,
    );
    expect(code).toBe(1);
  });

  it('catches a token the vendor rejects, without printing it', async () => {
    const path = await config();
    const { code, stdout } = await doctor(['--config', path], { FERRY_TOKEN: 'wrong-token-123456' });
    expect(failure(stdout, "token of 'lexer' accepted")).toMatch(/answered 401\n\s+fix: replace the token/);
    expect(stdout).not.toContain('wrong-token-123456');
    expect(code).toBe(1);
  });

  it('catches an unreachable endpoint', async () => {
    const port = await freePort();
    const { code, stdout } = await doctor(
      ['--endpoint', `http://127.0.0.1:${port}/v1/uploads`, '--profile', 'lexer'],
      { FERRY_TOKEN: sandbox.token },
    );
    expect(failure(stdout, `endpoint 127.0.0.1:${port} reachable directly`)).toMatch(
      /ECONNREFUSED\n\s+fix: check the endpoint URL/,
    );
    expect(code).toBe(1);
  });

  it('catches a proxy that refuses for want of credentials, and passes through it once they are given', async () => {
    proxy = await startTinyproxy({ auth: { user: 'ferry', password: 'doctor-proxy-pw' } });
    const bare = proxy.url.replace(/\/\/[^@]*@/, '//');
    const args = ['--endpoint', `${sandbox.endpoint}/v1/uploads`, '--profile', 'lexer'];
    const refused = await doctor(args, { FERRY_TOKEN: sandbox.token, HTTP_PROXY: bare });
    expect(failure(refused.stdout, 'endpoint')).toMatch(
      /through the proxy 127\.0\.0\.1:\d+: .*407.*\n\s+fix: put the proxy user and password in the proxy URL/,
    );
    expect(refused.code).toBe(1);
    const allowed = await doctor(args, { FERRY_TOKEN: sandbox.token, HTTP_PROXY: proxy.url });
    expect(allowed.stdout).toMatch(/✓ endpoint .* reachable through the proxy 127\.0\.0\.1:\d+/);
    expect(allowed.stdout).not.toContain('doctor-proxy-pw');
  });

  it('catches a missing keyring when a token would have to come from it', async () => {
    const path = await config();
    const { code, stdout } = await doctor(['--config', path]);
    expect(failure(stdout, 'keyring reachable')).toMatch(
      /\n\s+fix: run inside a desktop session .*, or set FERRY_TOKEN, or .* FERRY_TOKEN_FILE/,
    );
    expect(code).toBe(1);
  });

  it('does not fail on a missing keyring when FERRY_TOKEN gives every token', async () => {
    const path = await config();
    const { code, stdout } = await doctor(['--config', path], { FERRY_TOKEN: sandbox.token });
    expect(stdout).toMatch(
      /\n– keyring reachable: no \(.+\); not needed, the tokens come from the environment\n/,
    );
    expect(code).toBe(0);
  });
});
