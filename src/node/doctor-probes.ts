import { readdir, readFile, statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Http, HttpMethod } from '../engine/ports.js';
import { KEYRING_SERVICE, type KeyringOpener } from './token-store.js';

/** The measurements `ferry doctor` judges; each one answers instead of throwing. */

/** fs.inotify.max_user_watches, or undefined where there is no inotify. */
export async function inotifyWatchLimit(): Promise<number | undefined> {
  const text = await readFile('/proc/sys/fs/inotify/max_user_watches', 'utf8').catch(() => undefined);
  const limit = text === undefined ? Number.NaN : Number(text.trim());
  return Number.isInteger(limit) ? limit : undefined;
}

/** The folder and every folder below it (one inotify watch each), counting no further than `stopAt`. */
export async function countDirectories(root: string, stopAt: number): Promise<number> {
  let count = 0;
  const pending = [root];
  for (let dir = pending.pop(); dir !== undefined && count < stopAt; dir = pending.pop()) {
    count += 1;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) if (entry.isDirectory()) pending.push(join(dir, entry.name));
  }
  return count;
}

/** Free bytes for an unprivileged user where `dir` is, or would be once created. */
export async function freeBytes(dir: string): Promise<number | undefined> {
  for (let at = dir; ; at = dirname(at)) {
    const stats = await statfs(at).catch(() => undefined);
    if (stats !== undefined) return stats.bavail * stats.bsize;
    if (dirname(at) === at) return undefined;
  }
}

export type KeyringProbe = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Reads an entry nobody stores: reachable keyrings answer "none", missing ones throw. */
export async function probeKeyring(open: KeyringOpener): Promise<KeyringProbe> {
  try {
    await open(KEYRING_SERVICE, 'ferry-doctor-probe').getPassword();
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** An HTTP answer, as far as the doctor cares. */
export interface ProbeAnswer {
  readonly status: number;
  readonly date: string | undefined;
}

/** The answer, or whatever error stopped the request. */
export type ProbeOutcome =
  | { readonly answered: true; readonly answer: ProbeAnswer }
  | { readonly answered: false; readonly error: unknown };

export interface ProbeRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
}

/** One request; the answer's status and Date, or whatever error stopped it (returned, not thrown). */
export async function probeRequest(http: Http, request: ProbeRequest): Promise<ProbeOutcome> {
  const signal = AbortSignal.timeout(request.timeoutMs);
  try {
    const response = await http.request({
      method: request.method,
      url: request.url,
      headers: request.headers ?? {},
      ...(request.body === undefined ? {} : { body: request.body }),
      signal,
    });
    return { answered: true, answer: { status: response.status, date: response.headers.date } };
  } catch (error) {
    // The timeout's own error has no code: say what it means.
    if (signal.aborted) {
      const timeout = new Error(`no answer in ${request.timeoutMs / 1_000} s`);
      return { answered: false, error: Object.assign(timeout, { code: 'ETIMEDOUT' }) };
    }
    return { answered: false, error };
  }
}
