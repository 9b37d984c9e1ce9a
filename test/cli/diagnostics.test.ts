import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const TOKEN = 'tok-9f8e7d6c5b4a3210';
const SIGNATURE = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const PROXY_PASSWORD = 'Pr0xyPassw0rd';
const ENV_PROXY_PASSWORD = 'EnvPr0xyPass';

let dir = '';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-diagnostics-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const presigned = `http://127.0.0.1:4567/deliveries/x.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20260101&X-Amz-Signature=${SIGNATURE}`;

async function seed(): Promise<{ config: string; state: string }> {
  const state = join(dir, 'state');
  await mkdir(state);
  const log = [
    { level: 30, msg: 'requesting an upload URL', headers: { 'auth-api-token': TOKEN } },
    { level: 40, msg: `attempt failed, retrying: PUT ${presigned} answered 500` },
    { level: 40, msg: `the vendor echoed the token ${TOKEN} back` },
    { level: 30, msg: `via proxy http://ferry:${PROXY_PASSWORD}@127.0.0.1:3128` },
    { level: 30, msg: 'delivered customers-2024-01-31-v1.csv' },
  ];
  await writeFile(join(state, 'ferry.log'), log.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const job = {
    put: { id: 'j1', file: 'customers-2024-01-31-v1.csv', error: `PUT ${presigned} failed`, token: TOKEN },
  };
  await writeFile(join(state, 'jobs.journal'), `${JSON.stringify(job)}\n`);
  const config = join(dir, 'ferry.json');
  await writeFile(
    config,
    JSON.stringify({
      targets: { lexer: { profile: 'lexer', endpoint: 'https://api.example.com/v1/uploads' } },
      proxy: { url: `http://ferry:${PROXY_PASSWORD}@127.0.0.1:3128` },
    }),
  );
  return { config, state };
}

function diagnostics(args: readonly string[], token: Record<string, string> = { FERRY_TOKEN: TOKEN }) {
  return spawnSync(process.execPath, ['bin/ferry.js', 'diagnostics', ...args], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/ferry-test-bus',
      ...token,
      HTTPS_PROXY: `http://someone:${ENV_PROXY_PASSWORD}@proxy.example:8080`,
    },
  });
}

/** Every file of the zip, unpacked by Info-ZIP's unzip: also proof that the archive is valid. */
function unpack(zip: string): string {
  const listed = spawnSync('unzip', ['-Z1', zip], { encoding: 'utf8' });
  expect(listed.status).toBe(0);
  const contents = spawnSync('unzip', ['-p', zip], { encoding: 'utf8' });
  expect(contents.status).toBe(0);
  return `${listed.stdout}\n${contents.stdout}`;
}

describe('ferry diagnostics', () => {
  it('bundles versions, OS, config, recent jobs and log lines with no token, signature or proxy password', async () => {
    const { config, state } = await seed();
    const out = join(dir, 'ferry-diagnostics.zip');
    const run = diagnostics(['--out', out, '--config', config, '--state-dir', state]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const text = unpack(out);
    for (const name of ['versions.json', 'environment.json', 'config.json', 'jobs.jsonl', 'ferry.log'])
      expect(text).toContain(name);
    // What helps support is still there...
    expect(text).toContain('customers-2024-01-31-v1.csv');
    expect(text).toContain(process.versions.node);
    expect(text).toContain('127.0.0.1:3128');
    expect(text).toContain('"FERRY_TOKEN": "[set]"');
    // ...and no secret is.
    for (const secret of [TOKEN, SIGNATURE, PROXY_PASSWORD, ENV_PROXY_PASSWORD])
      expect(text).not.toContain(secret);
  });

  it('removes the token of FERRY_TOKEN_FILE too', async () => {
    const { config, state } = await seed();
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    await chmod(tokenFile, 0o600);
    const out = join(dir, 'd.zip');
    const run = diagnostics(['--out', out, '--config', config, '--state-dir', state], {
      FERRY_TOKEN_FILE: tokenFile,
    });
    expect(run.status).toBe(0);
    const text = unpack(out);
    expect(text).toContain(`"FERRY_TOKEN_FILE": "${tokenFile}"`);
    expect(text).not.toContain(TOKEN);
  });

  it('keeps only the last --lines log lines', async () => {
    const { state } = await seed();
    const out = join(dir, 'd.zip');
    expect(
      diagnostics(['--out', out, '--state-dir', state, '--lines', '1', '--config', join(dir, 'none.json')])
        .status,
    ).toBe(0);
    const log = spawnSync('unzip', ['-p', out, 'ferry.log'], { encoding: 'utf8' }).stdout;
    expect(log.trim().split('\n')).toEqual([
      expect.stringContaining('delivered customers-2024-01-31-v1.csv'),
    ]);
  });
});
