import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { ferry, type Run } from '../support/ferry-cli.js';
import { openBrowser, suiteDir, uiAddress, type OpenBrowser } from '../support/ferry-ui.js';
import { waitForChip } from '../support/ui-page.js';

/**
 * Settings edited in the real window (Debian's Chromium) of a real
 * `ferry watch --config … --ui` delivering to a real sandbox: the change must
 * land in the config file and in the running agent, with no restart.
 */
let sandbox: RunningSandbox;
let browser: OpenBrowser;
let work = '';
const agents: Run[] = [];
const pages: Page[] = [];

/** Stricter than the default (which the sandbox's API enforces too): only "sales" files. */
const SALES_RULE = 'sales-{date}-{version}.{ext}';
const csv = (n: number) => `id,value\n${n},${'x'.repeat(100)}\n`;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  browser = await openBrowser();
  work = await suiteDir('ui-settings');
});

afterEach(async () => {
  await Promise.all(pages.splice(0).map((page) => page.context().close()));
});

afterAll(async () => {
  for (const agent of agents) agent.child.kill('SIGTERM');
  await Promise.all(agents.map((agent) => agent.exited));
  await browser.close();
  await sandbox.close();
  await rm(work, { recursive: true, force: true });
});

async function openWindow(agent: Run): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  pages.push(page);
  await page.goto(await uiAddress(agent));
  return page;
}

/** An agent started with a config file, as a user with an existing setup runs it. */
async function configuredAgent(name: string) {
  const folder = join(work, `${name}-watched`);
  const added = join(work, `${name}-added`);
  const stateDir = join(work, `${name}-state`);
  await Promise.all([folder, added, stateDir].map((dir) => mkdir(dir, { recursive: true })));
  const config = join(work, `${name}.json`);
  await writeFile(
    config,
    `${JSON.stringify(
      {
        targets: { vendor: { profile: 'lexer', endpoint: `${sandbox.endpoint}/v1/uploads` } },
        folders: [{ path: folder, target: 'vendor' }],
      },
      null,
      2,
    )}\n`,
  );
  const agent = ferry(['watch', '--config', config, '--state-dir', stateDir, '--settle', '0.3', '--ui'], {
    FERRY_TOKEN: sandbox.token,
  });
  agents.push(agent);
  return { agent, folder, added, config };
}

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByTestId('settings');
  await settings.getByTestId('save-bar').waitFor();
  return settings;
}

describe('editing settings in the window', () => {
  it('adds a folder with its own rule: the config file changes and the agent watches it at once', async () => {
    const { agent, added, config } = await configuredAgent('add');
    const page = await openWindow(agent);
    const settings = await openSettings(page);

    await settings.getByRole('button', { name: 'Add folder' }).click();
    const card = settings.getByTestId('folder-card').last();
    await card.getByLabel('Folder path').fill(added);
    await card.getByLabel('Naming rule').fill(SALES_RULE);
    // The live preview runs the naming module on the rule as typed.
    const example = (name: string) =>
      card.getByTestId('rule-example').filter({ has: page.getByText(name, { exact: true }) });
    expect(await example('orders-2024-06-12-v1.csv').textContent()).toContain('fails');
    await card.getByLabel('Try a name').fill('sales-2024-02-30-v1.csv');
    expect(await example('sales-2024-02-30-v1.csv').textContent()).toMatch(/fails: .*date/);
    await card.getByLabel('Try a name').fill('sales-2024-06-12-v1.csv');
    expect(await example('sales-2024-06-12-v1.csv').textContent()).toContain('passes');
    await card.getByLabel('After delivery').selectOption('move');
    await settings.getByLabel('Files at a time per target').fill('2');

    await settings.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => settings.getByTestId('save-status').textContent())
      .toMatch(/^Saved to .+no restart needed/);

    const written = JSON.parse(await readFile(config, 'utf8')) as {
      folders: { path: string; rule?: string; after?: string }[];
      concurrency: number;
    };
    expect(written.folders[1]).toEqual({ path: added, target: 'vendor', rule: SALES_RULE, after: 'move' });
    expect(written.concurrency).toBe(2);

    // Applied without a restart: the new folder is watched under its own rule and action.
    await settings.getByRole('button', { name: 'Back to jobs' }).click();
    const good = 'sales-2024-06-12-v1.csv';
    // Good under the default rule: only the folder's new rule refuses it.
    const bad = 'orders-2024-06-12-v1.csv';
    await writeFile(join(added, good), csv(1));
    await writeFile(join(added, bad), csv(2));
    await waitForChip(page, good, 'Completed');
    await waitForChip(page, bad, 'Rejected');
    expect((await sandbox.deliveries()).filter((d) => d.filename === good)).toHaveLength(1);
    await expect.poll(() => readFile(join(added, 'sent', good), 'utf8')).toBe(csv(1));
    expect(agent.child.exitCode).toBeNull();
  });

  it('refuses a bad endpoint with the config validator’s message, next to the target, and keeps the file', async () => {
    const { agent, config } = await configuredAgent('bad');
    const before = await readFile(config, 'utf8');
    const page = await openWindow(agent);
    const settings = await openSettings(page);
    const target = settings.getByTestId('target-card-vendor');
    await target.getByLabel('Endpoint').fill('http://vendor.example/v1/uploads');
    await settings.getByRole('button', { name: 'Save changes' }).click();
    const issues = target.getByTestId('issues');
    await issues.waitFor();
    expect(await issues.textContent()).toBe(
      'targets.vendor.endpoint: must be https (or a loopback http URL)',
    );
    expect(await readFile(config, 'utf8')).toBe(before);
    // Unsaved: the connection test would not test what is shown, so it waits for a save.
    expect(await target.getByRole('button', { name: 'Test connection' }).isDisabled()).toBe(true);
  });

  it('tests the connection with a real first request and no data', async () => {
    const { agent } = await configuredAgent('test');
    const page = await openWindow(agent);
    const settings = await openSettings(page);
    const before = (await sandbox.deliveries()).length;
    const target = settings.getByTestId('target-card-vendor');
    await target.getByRole('button', { name: 'Test connection' }).click();
    const result = target.getByTestId('connection-test');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/accepted the token and answered with an upload URL/);
    expect(await result.getAttribute('class')).toContain('test-ok');
    expect((await sandbox.deliveries()).length).toBe(before);

    await target.getByLabel('Profile').selectOption('form');
    await settings.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => settings.getByTestId('save-status').textContent()).toMatch(/^Saved to/);
    await target.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => result.textContent()).toMatch(/^Not tested: the form API takes the file itself/);
  });
});

describe('an agent started without a config file', () => {
  it('shows its settings, says why they cannot be saved, and offers no save', async () => {
    const folder = join(work, 'flags-watched');
    await mkdir(folder, { recursive: true });
    const agent = ferry(
      [
        'watch',
        folder,
        '--endpoint',
        `${sandbox.endpoint}/v1/uploads`,
        '--profile',
        'lexer',
        '--state-dir',
        join(work, 'flags-state'),
        '--ui',
      ],
      { FERRY_TOKEN: sandbox.token },
    );
    agents.push(agent);
    const page = await openWindow(agent);
    const settings = await openSettings(page);
    expect(await settings.getByTestId('read-only').textContent()).toMatch(
      /^Settings cannot be saved: this agent was started with --endpoint and --profile, not a config file/,
    );
    expect(await settings.getByRole('button', { name: 'Save changes' }).count()).toBe(0);
    expect(await settings.getByLabel('Folder path').isDisabled()).toBe(true);
    // The connection test needs no saving: it still runs.
    const target = settings.getByTestId('target-card-default');
    await target.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => target.getByTestId('connection-test').textContent()).toMatch(/upload URL/);
  });
});

describe('the first run, with no config at all', () => {
  const freshAgent = (name: string, env: Record<string, string>) => {
    const stateDir = join(work, `${name}-state`);
    const config = join(work, `${name}-home`, 'ferry', 'config.json');
    const agent = ferry(['watch', '--state-dir', stateDir, '--settle', '0.3', '--ui'], {
      FERRY_CONFIG: config,
      ...env,
    });
    agents.push(agent);
    return { agent, config };
  };

  it('points Ferry at a vendor endpoint, writing the config the agent then delivers by', async () => {
    const { agent, config } = freshAgent('vendor', { FERRY_TOKEN: sandbox.token });
    const folder = join(work, 'first-folder');
    await mkdir(folder, { recursive: true });
    const page = await openWindow(agent);
    const setup = page.getByTestId('first-run');
    await setup.getByRole('heading', { name: 'Try it first' }).waitFor();
    const vendor = setup.getByTestId('vendor-setup');
    await vendor.getByLabel(/^Endpoint/).fill(`${sandbox.endpoint}/v1/uploads`);
    await vendor.getByLabel('Folder to watch').fill(folder);
    await vendor.getByRole('button', { name: 'Save and start' }).click();
    await page.getByTestId('empty-state').waitFor();

    const written = JSON.parse(await readFile(config, 'utf8')) as { folders: { path: string }[] };
    expect(written.folders).toEqual([{ path: folder, target: 'vendor' }]);
    const name = 'first-2024-06-12-v1.csv';
    await writeFile(join(folder, name), csv(3));
    await waitForChip(page, name, 'Completed');
  });

  it('starts the local sandbox with sample files, delivered and refused as they deserve', async () => {
    // No token anywhere: the trial needs none, the sandbox brings its own.
    const { agent, config } = freshAgent('trial', {
      FERRY_TOKEN: '',
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent',
    });
    const page = await openWindow(agent);
    const setup = page.getByTestId('first-run');
    await setup.getByRole('button', { name: 'Start the sandbox with sample files' }).click();
    const day = new Date().toISOString().slice(0, 10);
    await waitForChip(page, `orders-${day}-v1.csv`, 'Completed');
    await waitForChip(page, `inventory-${day}-v1.ndjson`, 'Completed');
    await waitForChip(page, 'Sales Report June.csv', 'Rejected');
    const settings = await openSettings(page);
    expect(await settings.getByTestId('trial').textContent()).toMatch(/not saved in the config/);
    await expect(readFile(config, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
