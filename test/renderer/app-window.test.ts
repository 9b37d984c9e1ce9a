import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { ferry, type Run } from '../support/ferry-cli.js';
import { openBrowser, suiteDir, uiAddress, type OpenBrowser } from '../support/ferry-ui.js';
import { chipOf, dropFile, openJob, waitForChip } from '../support/ui-page.js';

/**
 * The app window (the built renderer) in Debian's Chromium, against a real
 * `ferry watch --ui` delivering to a real sandbox.
 */
let sandbox: RunningSandbox;
let browser: OpenBrowser;
/** While set, every sandbox API call and PUT fails with a 500. */
let failing = false;
let agent: Run;
let folder = '';
let stateDir = '';
let url = '';
let page: Page;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, failRate: 0.5, random: () => (failing ? 0 : 0.99) });
  browser = await openBrowser();
  folder = await suiteDir('ui-watched');
  stateDir = await suiteDir('ui-state');
  const config = join(stateDir, 'ferry.json');
  await writeFile(
    config,
    JSON.stringify({
      targets: {
        vendor: {
          profile: 'lexer',
          endpoint: `${sandbox.endpoint}/v1/uploads`,
          // Two failures in a row fail the job: the failure case needs no long wait.
          retry: { attempts: 2 },
        },
      },
      folders: [{ path: folder, target: 'vendor' }],
    }),
  );
  agent = ferry(['watch', '--config', config, '--state-dir', stateDir, '--settle', '0.3', '--ui'], {
    FERRY_TOKEN: sandbox.token,
  });
  url = await uiAddress(agent);
});

afterAll(async () => {
  agent.child.kill('SIGTERM');
  await agent.exited;
  await browser.close();
  await sandbox.close();
  await rm(folder, { recursive: true, force: true });
  await rm(stateDir, { recursive: true, force: true });
});

beforeEach(async () => {
  failing = false;
  const context = await browser.newContext();
  page = await context.newPage();
  await page.goto(url);
  await page.getByTestId('job-list').or(page.getByTestId('empty-state')).first().waitFor();
});

afterEach(async () => {
  await page.context().close();
});

const csv = (n: number) => `id,value\n${n},${'x'.repeat(200)}\n`;

describe('the app window on ferry watch --ui', () => {
  it('takes the token out of the address bar and shows the agent status', async () => {
    expect(page.url()).not.toContain('token');
    await expect
      .poll(() => page.getByTestId('status-line').textContent())
      .toMatch(/All delivered|Watching — nothing to deliver yet|Delivering|attention/);
  });

  it('delivers a file dropped onto the window, which reaches Completed', async () => {
    const name = 'dropped-2024-06-12-v1.csv';
    await dropFile(page, name, csv(1));
    await waitForChip(page, name, 'Completed');
    const arrived = (await sandbox.deliveries()).filter((d) => d.filename === name);
    expect(arrived).toHaveLength(1);
    await openJob(page, name);
    expect(await page.getByTestId('remote-id').textContent()).toMatch(/\S/);
    expect(await page.getByTestId('job-detail').textContent()).toContain(arrived[0]?.sha256);
  });

  it('refuses a badly named file before sending it, with the reason and the fixed name', async () => {
    await dropFile(page, 'sales report-2024-06-12-v1.csv', csv(2));
    const alert = page.getByRole('alert').first();
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(
      /cannot be delivered: .+Rename it to sales-report-2024-06-12-v1\.csv/,
    );
    expect((await sandbox.deliveries()).some((d) => d.filename.startsWith('sales report'))).toBe(false);
  });

  it('shows why a file in a watched folder was rejected, and the suggested name', async () => {
    const name = 'daily export-2024-06-12-v1.csv';
    await writeFile(join(folder, name), csv(3));
    await waitForChip(page, name, 'Rejected');
    await page.getByRole('tab', { name: /Needs attention/ }).click();
    expect(await chipOf(page, name)).toBe('Rejected');
    await openJob(page, name);
    const verdict = page.getByTestId('naming-verdict');
    expect(await verdict.textContent()).toMatch(/Name rejected \(bad-character\)/);
    expect(await page.getByTestId('suggested-name').textContent()).toBe('daily-export-2024-06-12-v1.csv');
  });

  it('retries a failed job from the window, and it completes', async () => {
    failing = true;
    const name = 'flaky-2024-06-12-v1.csv';
    await writeFile(join(folder, name), csv(4));
    await waitForChip(page, name, 'Failed', 25_000);
    failing = false;
    await openJob(page, name);
    await page.getByTestId('job-detail').getByRole('button', { name: 'Retry' }).click();
    await waitForChip(page, name, 'Completed');
    expect((await sandbox.deliveries()).filter((d) => d.filename === name)).toHaveLength(1);
  });

  it('filters by status with counts, searches by name, and moves through the list by keyboard', async () => {
    await writeFile(join(folder, 'keys-a-2024-06-12-v1.csv'), csv(5));
    await writeFile(join(folder, 'keys-b-2024-06-12-v1.csv'), csv(6));
    await waitForChip(page, 'keys-a-2024-06-12-v1.csv', 'Completed');
    await waitForChip(page, 'keys-b-2024-06-12-v1.csv', 'Completed');
    const completed = page.getByRole('tab', { name: /Completed/ });
    await completed.click();
    expect(await completed.locator('.count').textContent()).toBe(
      String(await page.locator('.job-row').count()),
    );
    await page.getByLabel('Search by name').fill('keys-');
    const names = await page.locator('.job-name').allTextContents();
    expect([...names].sort()).toEqual(['keys-a-2024-06-12-v1.csv', 'keys-b-2024-06-12-v1.csv']);
    await page.getByTestId('job-list').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page
      .getByTestId('job-detail')
      .getByRole('heading', { name: names[1] ?? 'missing' })
      .waitFor();
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('job-detail').count()).toBe(0);
  });
});
