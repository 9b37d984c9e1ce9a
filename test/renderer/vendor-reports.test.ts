import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { ferry, type Run } from '../support/ferry-cli.js';
import { openBrowser, suiteDir, uiAddress, type OpenBrowser } from '../support/ferry-ui.js';
import { openJob, waitForChip } from '../support/ui-page.js';

/**
 * What the vendors' documents promise, in the window (the built renderer in Debian's Chromium,
 * against a real `ferry watch --ui` and a real sandbox): the analytics API's import statistics
 * in the job detail, and a notice on a lexer folder that lacks the dataset id and record type
 * Lexer loads NDJSON with.
 */
let sandbox: RunningSandbox;
let browser: OpenBrowser;
let agent: Run;
let work = '';
let page: Page;
const folders = { analytics: '', plain: '', good: '' };

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, log: () => undefined });
  browser = await openBrowser();
  work = await suiteDir('ui-vendor-reports');
  for (const name of ['analytics', 'plain', 'good'] as const) {
    folders[name] = join(work, name);
    await mkdir(folders[name]);
  }
  const config = join(work, 'ferry.json');
  await writeFile(
    config,
    JSON.stringify({
      targets: {
        analytics: { profile: 'analytics', endpoint: `${sandbox.endpoint}/analytics/files/upload` },
        lexer: { profile: 'lexer', endpoint: `${sandbox.endpoint}/v1/uploads` },
      },
      folders: [
        { path: folders.analytics, target: 'analytics', rule: '{provider}_{datasetType}_{date}.{ext}' },
        { path: folders.plain, target: 'lexer', fields: { dataset_id: 'ds-1042' } },
        {
          path: folders.good,
          target: 'lexer',
          fields: { dataset_id: 'ds-1042', record_type: 'customer_record' },
        },
      ],
    }),
  );
  agent = ferry(
    ['watch', '--config', config, '--state-dir', join(work, 'state'), '--settle', '0.3', '--ui'],
    {
      FERRY_TOKEN: sandbox.token,
    },
  );
  page = await (await browser.newContext()).newPage();
  await page.goto(await uiAddress(agent));
  await page.getByTestId('job-list').or(page.getByTestId('empty-state')).first().waitFor();
});

afterAll(async () => {
  agent.child.kill('SIGTERM');
  await agent.exited;
  await browser.close();
  await sandbox.close();
  await rm(work, { recursive: true, force: true });
});

describe('the window shows what the vendor reports', () => {
  it("shows the analytics API's import statistics in the job detail, under the vendor's names", async () => {
    const name = 'testprovider_transactions_2025-01-01.csv';
    const content = 'date,amount\n2025-01-01,10\n2025-01-02,12\n';
    await writeFile(join(folders.analytics, name), content);
    await waitForChip(page, name, 'Completed', 30_000);
    await openJob(page, name);
    const figures = page.getByTestId('import-statistics');
    await figures.waitFor();
    expect(await figures.locator('dt').allTextContents()).toEqual(['rows', 'columns', 'bytes']);
    expect(await figures.locator('dd').allTextContents()).toEqual(['2', '2', String(content.length)]);
  }, 60_000);

  it('puts a notice on the lexer folder that lacks record_type, and none on the one that has it', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    const cards = page.getByTestId('settings').getByTestId('folder-card');
    await cards.first().waitFor();
    const plain = cards.filter({ hasText: folders.plain });
    const notice = plain.getByTestId('folder-notice');
    expect(await notice.textContent()).toContain(
      "lexer loads .ndjson and .json files by itself only when the upload request carries dataset_id and record_type; this folder's fields lack record_type",
    );
    expect(await notice.textContent()).toContain('"loading": "manual"');
    expect(await cards.filter({ hasText: folders.good }).getByTestId('folder-notice').count()).toBe(0);
    expect(await cards.filter({ hasText: folders.analytics }).getByTestId('folder-notice').count()).toBe(0);
  });
});
