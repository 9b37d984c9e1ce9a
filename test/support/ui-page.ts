import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** The status chip of the row showing `file`, or '' while there is none. */
export async function chipOf(page: Page, file: string): Promise<string> {
  const row = page.locator('.job-row', { has: page.locator('.job-name', { hasText: file }) });
  if ((await row.count()) === 0) return '';
  return (await row.first().locator('.chip').textContent()) ?? '';
}

export async function waitForChip(page: Page, file: string, chip: string, timeout = 20_000): Promise<void> {
  await expect.poll(() => chipOf(page, file), { timeout, interval: 100 }).toBe(chip);
}

/** Drops a file made in the page onto the window, as dragging one from the desktop does. */
export async function dropFile(page: Page, name: string, text: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, text }) => {
      // Runs in the page; Node's types (this file's) know no DataTransfer.
      const { DataTransfer: Transfer } = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: File): unknown } };
      };
      const transfer = new Transfer();
      transfer.items.add(new File([text], name, { type: 'text/csv' }));
      return transfer;
    },
    { name, text },
  );
  await page.dispatchEvent('.app', 'dragenter', { dataTransfer });
  await page.dispatchEvent('.app', 'dragover', { dataTransfer });
  await page.dispatchEvent('.app', 'drop', { dataTransfer });
}

export async function openJob(page: Page, file: string): Promise<void> {
  await page
    .locator('.job-row', { has: page.locator('.job-name', { hasText: file }) })
    .first()
    .click();
  await page.getByTestId('job-detail').getByRole('heading', { name: file }).waitFor();
}
