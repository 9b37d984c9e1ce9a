import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { ferry, type Run } from '../support/ferry-cli.js';
import { openBrowser, suiteDir, uiAddress, type OpenBrowser } from '../support/ferry-ui.js';
import { waitForChip } from '../support/ui-page.js';

/**
 * Expected files in the real window (Debian's Chromium) of a real `ferry watch --config … --ui`
 * delivering to a sandbox: what is late and why, the file that clears it, the receipts exported
 * as CSV, and expected files edited in a folder's settings.
 */
let sandbox: RunningSandbox;
let browser: OpenBrowser;
let work = '';
let agent: Run;
let page: Page;
let folder = '';
let config = '';

/** Today in the machine's zone, as the agent reads a `by` without a zone. */
function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  browser = await openBrowser();
  work = await suiteDir('ui-expect');
  folder = join(work, 'outbox');
  const stateDir = join(work, 'state');
  await mkdir(folder, { recursive: true });
  config = join(work, 'ferry.json');
  await writeFile(
    config,
    `${JSON.stringify({
      targets: { vendor: { profile: 'lexer', endpoint: `${sandbox.endpoint}/v1/uploads` } },
      folders: [
        {
          path: folder,
          target: 'vendor',
          expect: [
            // Due at midnight: late all day. Due a second before the next: not due yet all day.
            { descriptor: 'customers', every: 'day', by: '00:00' },
            { descriptor: 'orders', every: 'day', by: '23:59:59' },
          ],
        },
      ],
    })}\n`,
  );
  agent = ferry(['watch', '--config', config, '--state-dir', stateDir, '--settle', '0.3', '--ui'], {
    FERRY_TOKEN: sandbox.token,
  });
  const context = await browser.newContext();
  page = await context.newPage();
  await page.goto(await uiAddress(agent));
});

afterAll(async () => {
  agent.child.kill('SIGTERM');
  await agent.exited;
  await browser.close();
  await sandbox.close();
  await rm(work, { recursive: true, force: true });
});

const row = (descriptor: string) =>
  page.getByTestId('expectation-row').filter({ has: page.locator('.descriptor', { hasText: descriptor }) });

describe('expected files in the window', () => {
  it('shows what is late and why, in the table and the status line, until the file arrives', async () => {
    const customers = row('customers');
    await customers.waitFor();
    expect(await customers.getAttribute('data-state')).toBe('late');
    expect(await customers.locator('.exp-now').textContent()).toBe(
      `Late no customers file dated ${today()} in ${folder}`,
    );
    expect(await row('orders').getAttribute('data-state')).toBe('pending');
    await expect
      .poll(() => page.getByTestId('status-line').textContent())
      .toBe(`customers for ${today()} is late: no customers file dated ${today()} in ${folder}`);
    expect(await page.getByTestId('status-line').getAttribute('class')).toContain('attention');

    const name = `customers-${today()}-v1.csv`;
    await writeFile(join(folder, name), 'id,email\n1,a@example.com\n');
    await waitForChip(page, name, 'Completed');
    await expect.poll(() => customers.getAttribute('data-state')).toBe('delivered');
    expect(await customers.locator('.exp-now').textContent()).toContain(name);
    await expect.poll(() => page.getByTestId('status-line').textContent()).toBe('All delivered');
  });

  it('exports every delivery as CSV from the job list', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export deliveries…' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toMatch(/^ferry-deliveries-\d{4}-\d{2}-\d{2}\.csv$/);
    const path = await saved.path();
    const csv = await readFile(path, 'utf8');
    const [header, first] = csv.split('\r\n');
    expect(header).toBe(
      'delivered_at,file,folder,target,size,sha256,remote_id,attempts,statistics,redelivery_of',
    );
    expect(first).toContain(`,customers-${today()}-v1.csv,${folder},vendor,25,`);
  });

  it("edits a folder's expected files: the config file gets them, and a bad one is named", async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByTestId('settings');
    await settings.getByTestId('save-bar').waitFor();
    const editor = settings.getByTestId('expect-editor');
    await editor.getByRole('button', { name: 'Add expected file' }).click();
    const added = editor.locator('.expect-row').last();
    await added.getByLabel('Descriptor').fill('invoices');
    await added.getByLabel('Every').fill('month');
    await added.getByLabel('On', { exact: true }).fill('1');
    await added.getByLabel('By').fill('06:00');
    await added.getByLabel('Time zone').fill('Europe/London');
    await added.getByLabel('File dated').selectOption('previous-day');
    await settings.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => settings.getByTestId('save-status').textContent())
      .toMatch(/^Saved to .+no restart needed/);
    const written = JSON.parse(await readFile(config, 'utf8')) as { folders: { expect: unknown[] }[] };
    expect(written.folders[0]?.expect).toEqual([
      { descriptor: 'customers', every: 'day', by: '00:00' },
      { descriptor: 'orders', every: 'day', by: '23:59:59' },
      {
        descriptor: 'invoices',
        every: 'month',
        on: 1,
        by: '06:00',
        timezone: 'Europe/London',
        date: 'previous-day',
      },
    ]);

    // A bad time zone is the validator's to name, next to the folder.
    await editor.locator('.expect-row').last().getByLabel('Time zone').fill('Europe/Lundon');
    await settings.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => settings.getByTestId('folder-card').getByTestId('issues').textContent())
      .toContain("folders[0].expect[2].timezone: unknown time zone 'Europe/Lundon'");
  });
});
