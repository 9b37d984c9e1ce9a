import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ferry, type Run } from '../support/ferry-cli.js';
import { openBrowser, suiteDir, uiAddress, type OpenBrowser } from '../support/ferry-ui.js';

/**
 * The app window (the built renderer) in Debian's Chromium, against a real `ferry watch --ui`
 * whose watched folder is removed, then made again. No file is sent: the vendor is never asked.
 */
let browser: OpenBrowser;
let agent: Run;
let page: Page;
let folder = '';
let stateDir = '';

// The watcher looks for a missing folder every 5 s: a change shows within about that.
const statusLine = (text: string) =>
  expect
    .poll(() => page.getByTestId('status-line').textContent(), { timeout: 20_000, interval: 100 })
    .toBe(text);

beforeAll(async () => {
  browser = await openBrowser();
  const parent = await suiteDir('ui-missing-watched');
  folder = join(parent, 'outbox');
  await mkdir(folder);
  stateDir = await suiteDir('ui-missing-state');
  const config = join(stateDir, 'ferry.json');
  await writeFile(
    config,
    JSON.stringify({
      targets: { vendor: { profile: 'lexer', endpoint: 'http://127.0.0.1:9/v1/uploads' } },
      folders: [{ path: folder, target: 'vendor' }],
    }),
  );
  agent = ferry(['watch', '--config', config, '--state-dir', stateDir, '--ui'], { FERRY_TOKEN: 'token' });
  const url = await uiAddress(agent);
  page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await page.getByTestId('job-list').or(page.getByTestId('empty-state')).first().waitFor();
});

afterAll(async () => {
  agent.child.kill('SIGTERM');
  await agent.exited;
  await browser.close();
  for (const dir of [join(folder, '..'), stateDir]) await rm(dir, { recursive: true, force: true });
});

describe('the app window when the watched folder disappears', () => {
  it('says "Folder missing" in the header until the folder is back', async () => {
    await statusLine('Watching — nothing to deliver yet');

    await rm(folder, { recursive: true });
    await statusLine(`Folder missing: ${folder}`);
    expect(await page.getByTestId('status-line').getAttribute('class')).toBe('status-line attention');

    await mkdir(folder);
    await statusLine('Watching — nothing to deliver yet');
    expect(await page.getByTestId('status-line').getAttribute('class')).toBe('status-line');
  }, 60_000);
});
