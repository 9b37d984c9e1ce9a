import { mkdtemp } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import type { Run } from './ferry-cli.js';

/** Debian's Chromium, as DESIGN.md prescribes: playwright's own browser builds cannot be fetched here. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface OpenBrowser {
  readonly browser: Browser;
  newContext(options?: { dark?: boolean; zoom?: number }): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** Headless Chromium; playwright gives every launch a fresh temporary profile and removes it. */
export async function openBrowser(): Promise<OpenBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return {
    browser,
    newContext: (options = {}) =>
      browser.newContext({
        viewport: { width: 1200, height: 760 },
        deviceScaleFactor: options.zoom ?? 1,
        colorScheme: options.dark === true ? 'dark' : 'light',
      }),
    close: () => browser.close(),
  };
}

/** The address `ferry watch --ui` prints, once it has (usable in hooks, unlike expect.poll). */
export async function uiAddress(run: Run, timeoutMs = 20_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const url = /UI: (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(run.output())?.[1];
    if (url !== undefined) return url;
    if (Date.now() > until || run.child.exitCode !== null)
      throw new Error(`ferry watch --ui printed no address:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A folder for a whole file of tests (useTempDir's are removed after each test). */
export async function suiteDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `ferry-${prefix}-`));
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** A request with exactly the headers given (fetch would refuse to set Host). */
export function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Readonly<Record<string, string>>,
  body = '',
  readFor?: number,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      const done = () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
      };
      res.on('end', done);
      if (readFor !== undefined)
        setTimeout(() => {
          done();
          req.destroy();
        }, readFor);
    });
    req.on('error', reject);
    req.end(body);
  });
}
