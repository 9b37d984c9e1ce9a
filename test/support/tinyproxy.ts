import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real Debian tinyproxy on a loopback port, started and stopped by a test. */
export interface RunningProxy {
  readonly port: number;
  /** `http://127.0.0.1:<port>`, with the credentials when it demands them. */
  readonly url: string;
  /** The `CONNECT host:port` requests tinyproxy logged so far: proof a request went through it. */
  connects(): Promise<string[]>;
  stop(): Promise<void>;
}

export interface ProxyOptions {
  readonly auth?: { readonly user: string; readonly password: string };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function listening(port: number, deadline: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        resolve(false);
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`tinyproxy did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startTinyproxy(options: ProxyOptions = {}): Promise<RunningProxy> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-tinyproxy-'));
  const port = await freePort();
  const log = join(dir, 'tinyproxy.log');
  const config = [
    'Listen 127.0.0.1',
    `Port ${port}`,
    'Timeout 60',
    `LogFile "${log}"`,
    'LogLevel Connect',
    'MaxClients 64',
    'Allow 127.0.0.1',
    'DisableViaHeader Yes',
    ...(options.auth === undefined ? [] : [`BasicAuth ${options.auth.user} ${options.auth.password}`]),
  ];
  const file = join(dir, 'tinyproxy.conf');
  await writeFile(file, `${config.join('\n')}\n`);
  // -d: stay in the foreground, so the test owns the process and its exit.
  const child = spawn('tinyproxy', ['-d', '-c', file], { stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      reject(new Error(`tinyproxy exited with ${String(code)}`));
    });
  });
  await Promise.race([listening(port, Date.now() + 5_000), failed]);
  failed.catch(() => undefined);
  const credentials =
    options.auth === undefined
      ? ''
      : `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.password)}@`;
  return {
    port,
    url: `http://${credentials}127.0.0.1:${port}`,
    connects: async () => {
      const text = await readFile(log, 'utf8').catch(() => '');
      return [...text.matchAll(/Request \(file descriptor \d+\): CONNECT (\S+)/g)].map((m) => m[1] ?? '');
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
