import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { ferry, type Run } from '../support/ferry-cli.js';
import { openBrowser, suiteDir, uiAddress, type OpenBrowser } from '../support/ferry-ui.js';
import { chipOf, waitForChip } from '../support/ui-page.js';

/**
 * The app window (the built renderer) in Debian's Chromium, against a real `ferry watch --ui`
 * whose vendor (a real sandbox) is down, then back.
 */
let sandbox: RunningSandbox | undefined;
let browser: OpenBrowser;
let agent: Run;
let page: Page;
let folder = '';
let stateDir = '';
let dataDir = '';
let port = 0;
let token = '';

beforeAll(async () => {
  dataDir = await suiteDir('ui-offline-data');
  const vendor = await startSandbox({ port: 0, dataDir, log: () => undefined });
  port = Number(new URL(vendor.endpoint).port);
  token = vendor.token;
  // The vendor is gone before the first file: nothing answers on its port.
  await vendor.close();
  browser = await openBrowser();
  folder = await suiteDir('ui-offline-watched');
  stateDir = await suiteDir('ui-offline-state');
  const config = join(stateDir, 'ferry.json');
  await writeFile(
    config,
    JSON.stringify({
      targets: {
        // One attempt: a wait that were an attempt would fail the job at once.
        vendor: { profile: 'lexer', endpoint: `${vendor.endpoint}/v1/uploads`, retry: { attempts: 1 } },
      },
      folders: [{ path: folder, target: 'vendor' }],
    }),
  );
  agent = ferry(['watch', '--config', config, '--state-dir', stateDir, '--settle', '0.3', '--ui'], {
    FERRY_TOKEN: token,
  });
  const url = await uiAddress(agent);
  page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await page.getByTestId('job-list').or(page.getByTestId('empty-state')).first().waitFor();
});

afterAll(async () => {
  agent.child.kill('SIGTERM');
  await agent.exited;
  await browser.close();
  await sandbox?.close();
  for (const dir of [folder, stateDir, dataDir]) await rm(dir, { recursive: true, force: true });
});

describe('the app window while the vendor is unreachable', () => {
  it('says "Offline — waiting" in the header and the row, not a failure, and Completed once the vendor is back', async () => {
    const name = 'offline-2024-06-12-v1.csv';
    await writeFile(join(folder, name), `id,value\n1,${'x'.repeat(200)}\n`);

    await expect
      .poll(() => page.getByTestId('status-line').textContent(), { timeout: 20_000, interval: 100 })
      .toBe('Offline — waiting for vendor (1 file)');
    await waitForChip(page, name, 'Offline');
    const row = page.locator('.job-row', { has: page.locator('.job-name', { hasText: name }) });
    expect(await row.locator('.job-line').textContent()).toBe('Offline — waiting for vendor to answer');

    sandbox = await startSandbox({ port, dataDir, token, log: () => undefined });
    await waitForChip(page, name, 'Completed');
    await expect
      .poll(() => page.getByTestId('status-line').textContent(), { timeout: 5_000, interval: 100 })
      .toBe('All delivered');
    expect(await chipOf(page, name)).toBe('Completed');
    expect((await sandbox.deliveries()).map((d) => d.filename)).toEqual([name]);
  }, 60_000);
});
