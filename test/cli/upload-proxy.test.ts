import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { ferry, sha256 } from '../support/ferry-cli.js';
import { startTinyproxy, type RunningProxy } from '../support/tinyproxy.js';

const NAME = 'customers-2024-01-31-v1.csv';
const PASSWORD = 'pr0xy-s3cret-pw';

let dir = '';
let sandbox: RunningSandbox;
let proxy: RunningProxy | undefined;
let bytes = Buffer.alloc(0);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-proxy-'));
  await mkdir(join(dir, 'out'));
  // Bigger than one read chunk and not a multiple of one: byte-exactness is worth proving.
  bytes = randomBytes(2 * 1024 * 1024 + 321);
  await writeFile(join(dir, 'out', NAME), bytes);
  sandbox = await startSandbox({ port: 0, log: () => undefined });
});

afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

/** The proxy variables of the test runner's own environment must not decide these tests. */
const NO_ENV_PROXY = {
  HTTP_PROXY: '',
  HTTPS_PROXY: '',
  ALL_PROXY: '',
  NO_PROXY: '',
  http_proxy: '',
  https_proxy: '',
  all_proxy: '',
  no_proxy: '',
};

async function upload(config: Record<string, unknown>, env: Record<string, string>) {
  const path = join(dir, 'ferry.json');
  await writeFile(
    path,
    JSON.stringify({
      targets: { lexer: { profile: 'lexer', endpoint: `${sandbox.endpoint}/v1/uploads` } },
      folders: [{ path: 'out', target: 'lexer', fields: { dataset_id: 'ds-1' } }],
      ...config,
    }),
  );
  const run = ferry(['upload', '--config', path, '--json', join(dir, 'out', NAME)], {
    ...NO_ENV_PROXY,
    FERRY_TOKEN: sandbox.token,
    FERRY_LOG_LEVEL: 'debug',
    ...env,
  });
  return { code: await run.exited, output: run.output() };
}

const sandboxHost = () => new URL(sandbox.endpoint).host;

describe('ferry upload through a real proxy (tinyproxy on loopback)', () => {
  it('sends the API request and the PUT through HTTP_PROXY, delivering the exact bytes', async () => {
    proxy = await startTinyproxy();
    const { code, output } = await upload({}, { HTTP_PROXY: proxy.url });
    expect(output).toContain('"completed"');
    expect(code).toBe(0);
    const connects = await proxy.connects();
    // The POST for the URL and the PUT of the file: both tunnelled to the sandbox.
    expect(connects.filter((c) => c === sandboxHost()).length).toBeGreaterThanOrEqual(1);
    const deliveries = await sandbox.deliveries();
    expect(deliveries.map((d) => [d.filename, d.sha256])).toEqual([[NAME, sha256(bytes)]]);
  });

  it('honours lower-case http_proxy too', async () => {
    proxy = await startTinyproxy();
    const { code } = await upload({}, { http_proxy: proxy.url });
    expect(code).toBe(0);
    expect(await proxy.connects()).toContain(sandboxHost());
  });

  it('authenticates with the credentials in a config proxy URL, which overrides the environment, and never logs the password', async () => {
    proxy = await startTinyproxy({ auth: { user: 'ferry', password: PASSWORD } });
    // The environment points at a port nothing listens on: only the config's proxy can work.
    const { code, output } = await upload(
      { proxy: { url: proxy.url } },
      { HTTP_PROXY: 'http://127.0.0.1:9' },
    );
    expect(output).toContain('"completed"');
    expect(code).toBe(0);
    expect(await proxy.connects()).toContain(sandboxHost());
    expect((await sandbox.deliveries()).map((d) => d.sha256)).toEqual([sha256(bytes)]);
    expect(output).not.toContain(PASSWORD);
  });

  it('fails at once, naming the fix, when the proxy demands credentials it was not given', async () => {
    proxy = await startTinyproxy({ auth: { user: 'ferry', password: PASSWORD } });
    const bare = proxy.url.replace(/\/\/[^@]*@/, '//');
    const { code, output } = await upload({}, { HTTP_PROXY: bare });
    expect(code).toBe(1);
    expect(output).toContain('407');
    expect(output).toContain('give its user and password in the proxy URL');
    expect(await sandbox.deliveries()).toEqual([]);
  });

  it('goes direct to hosts NO_PROXY lists, never touching the proxy', async () => {
    proxy = await startTinyproxy();
    const { code } = await upload({}, { HTTP_PROXY: proxy.url, NO_PROXY: 'example.com,127.0.0.1' });
    expect(code).toBe(0);
    expect(await proxy.connects()).toEqual([]);
    expect((await sandbox.deliveries()).map((d) => d.sha256)).toEqual([sha256(bytes)]);
  });

  it('takes the config noProxy over the environment', async () => {
    proxy = await startTinyproxy();
    const { code } = await upload(
      { proxy: { url: proxy.url, noProxy: [sandboxHost()] } },
      { NO_PROXY: 'example.com' },
    );
    expect(code).toBe(0);
    expect(await proxy.connects()).toEqual([]);
  });
});
