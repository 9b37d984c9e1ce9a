import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `ferry` bin without blocking this process, where the sandbox serves. */
function ferry(args: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/ferry.js', ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/ferry-test-bus',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

let dir = '';
let sandbox: RunningSandbox;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-upload-'));
  sandbox = await startSandbox({ port: 0, log: () => undefined });
});

afterEach(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

async function setup(config: unknown): Promise<string> {
  const path = join(dir, 'ferry.json');
  await writeFile(path, JSON.stringify(config));
  return path;
}

function lexerConfig(endpoint: string) {
  return {
    targets: { lexer: { profile: 'lexer', endpoint: `${endpoint}/v1/uploads` } },
    folders: [
      { path: 'out', target: 'lexer', fields: { dataset_id: 'ds-1', record_type: 'customer_record' } },
    ],
  };
}

describe('ferry upload', () => {
  it('delivers the files of a configured folder and says so', async () => {
    const config = await setup(lexerConfig(sandbox.endpoint));
    await mkdir(join(dir, 'out'));
    const a = join(dir, 'out', 'customers-2024-01-31-v1.csv');
    const b = join(dir, 'out', 'orders-2024-01-31-v2.ndjson');
    await writeFile(a, 'id\n1\n');
    await writeFile(b, '{"id":1}\n');
    const run = await ferry(['upload', '--config', config, a, b], { FERRY_TOKEN: sandbox.token });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`✓ delivered  ${a} (remote id `);
    expect(run.stdout).toContain(`✓ delivered  ${b} (remote id `);
    expect(run.stdout).toMatch(/2 file\(s\): 2 delivered, 0 failed, 0 rejected\n$/);
    expect((await sandbox.deliveries()).map((d) => d.filename).sort()).toEqual([
      'customers-2024-01-31-v1.csv',
      'orders-2024-01-31-v2.ndjson',
    ]);
  });

  it('refuses a badly named file without sending it, and exits 1', async () => {
    const config = await setup(lexerConfig(sandbox.endpoint));
    const bad = join(dir, 'Customers 2024-01-31 v1.csv');
    await writeFile(bad, 'id\n1\n');
    const run = await ferry(['upload', '--config', config, '--target', 'lexer', '--json', bad], {
      FERRY_TOKEN: sandbox.token,
    });
    expect(run.code).toBe(1);
    const records = JSON.parse(run.stdout) as { status: string; reason: string }[];
    expect(records).toEqual([
      {
        file: bad,
        status: 'rejected',
        reason: expect.stringContaining('suggestion: Customers-2024-01-31-v1.csv') as string,
      },
    ]);
    expect(await sandbox.deliveries()).toEqual([]);
  });

  it('fails with "token rejected" on a wrong token and a clear error without any token', async () => {
    const config = await setup(lexerConfig(sandbox.endpoint));
    const file = join(dir, 'customers-2024-01-31-v1.csv');
    await writeFile(file, 'id\n1\n');
    const wrong = await ferry(['upload', '--config', config, '--target', 'lexer', file], {
      FERRY_TOKEN: 'nope',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain(
      'token-rejected: token rejected: the upload-URL request answered HTTP 401',
    );
    expect(wrong.stdout).not.toContain(sandbox.token);

    const none = await ferry(['upload', '--config', config, '--target', 'lexer', file], {});
    expect(none.code).toBe(1);
    expect(none.stdout).toContain("no-token: no keyring is reachable to read the token of target 'lexer'");
  });

  it('exits 2 naming the bad key of an invalid config, before sending anything', async () => {
    const config = await setup({
      targets: { lexer: { profile: 'lexer', endpoint: 'http://api.example/v1/uploads' } },
    });
    const file = join(dir, 'customers-2024-01-31-v1.csv');
    await writeFile(file, 'id\n1\n');
    const run = await ferry(['upload', '--config', config, '--target', 'lexer', file], {
      FERRY_TOKEN: sandbox.token,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('targets.lexer.endpoint: must be https (or a loopback http URL)');
    expect(await sandbox.deliveries()).toEqual([]);
  });

  it('exits 2 when a file is in no configured folder and no target is named', async () => {
    const config = await setup(lexerConfig(sandbox.endpoint));
    const file = join(dir, 'customers-2024-01-31-v1.csv');
    await writeFile(file, 'id\n1\n');
    const run = await ferry(['upload', '--config', config, file], { FERRY_TOKEN: sandbox.token });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is in no folder of');
  });
});
