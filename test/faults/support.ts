import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const FERRY = join(ROOT, 'bin', 'ferry.js');

export interface JobEvent {
  readonly event: string;
  readonly id?: string;
  readonly file?: string;
  readonly status?: string;
  readonly state?: { readonly status: string; readonly reason?: string; readonly error?: unknown };
  readonly size?: number;
}

/** A `ferry ...` child process whose JSON lines are collected as they arrive. */
export interface Agent {
  readonly child: ChildProcess;
  readonly events: JobEvent[];
  readonly stderr: () => string;
  readonly stdout: () => string;
  waitFor(pred: (event: JobEvent) => boolean, ms?: number): Promise<JobEvent>;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function runFerry(args: readonly string[], env: Record<string, string> = {}): Agent {
  const child = spawn(process.execPath, [FERRY, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: JobEvent[] = [];
  const waiters = new Set<(event: JobEvent) => void>();
  let out = '';
  let err = '';
  let pending = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    pending += chunk;
    let i: number;
    while ((i = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, i);
      pending = pending.slice(i + 1);
      let event: JobEvent;
      try {
        event = JSON.parse(line) as JobEvent;
      } catch {
        continue;
      }
      events.push(event);
      for (const w of waiters) w(event);
    }
  });
  child.stderr.on('data', (chunk: string) => {
    err += chunk;
  });
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  const exited = new Promise<number | null>((res) => {
    child.on('close', (code) => {
      res(code);
    });
  });
  return {
    child,
    events,
    stderr: () => err,
    stdout: () => out,
    exited,
    waitFor(pred, ms = 60_000) {
      const seen = events.find(pred);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((res, rej) => {
        const timer = setTimeout(() => {
          waiters.delete(w);
          rej(new Error(`no matching event within ${ms} ms; stderr: ${err.slice(-500)}`));
        }, ms);
        const w = (event: JobEvent): void => {
          if (pred(event)) {
            clearTimeout(timer);
            waiters.delete(w);
            res(event);
          }
        };
        waiters.add(w);
      });
    },
    async kill(signal = 'SIGTERM') {
      if (!alive()) return;
      child.kill(signal);
      const timeout = new Promise((res) => setTimeout(res, 15_000));
      await Promise.race([exited, timeout]);
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
  };
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function csv(rows: number, tag: string): string {
  let body = 'id,tag,value\n';
  for (let i = 0; i < rows; i += 1) body += `${i},${tag},${(i * 7919) % 100_003}\n`;
  return body;
}

/** Every file below dir (recursively), for the token grep. */
export async function allFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await allFiles(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

export async function fileContains(path: string, needle: string): Promise<boolean> {
  const info = await stat(path);
  if (info.size > 200 * 2 ** 20) return false;
  return (await readFile(path)).includes(needle);
}

export const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));
