import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { openBrowser, suiteDir, uiAddress, type OpenBrowser } from '../support/ferry-ui.js';
import { dropFile, waitForChip } from '../support/ui-page.js';

/**
 * First run and the write-only token field, against `ferry watch --ui` in a
 * private D-Bus session with an unlocked gnome-keyring: the token typed into
 * the window is stored in the real Secret Service and used for deliveries,
 * and never comes back to the page.
 */
let sandbox: RunningSandbox;
let browser: OpenBrowser;
let child: ChildProcess;
let output = '';
let exited: Promise<unknown>;
const dirs: string[] = [];

const UNLOCK = `eval "$(printf 'test-password' | gnome-keyring-daemon --unlock --components=secrets --daemonize)" >/dev/null`;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  browser = await openBrowser();
  const [home, folder, stateDir] = [
    await suiteDir('ui-home'),
    await suiteDir('ui-folder'),
    await suiteDir('ui-state'),
  ];
  dirs.push(home, folder, stateDir);
  const watch = `exec node bin/ferry.js watch ${folder} --endpoint ${sandbox.endpoint}/v1/uploads --profile lexer --state-dir ${stateDir} --settle 0.3 --ui`;
  // No FERRY_TOKEN: the keyring is the only place a token can come from.
  child = spawn('dbus-run-session', ['--', 'bash', '-c', `${UNLOCK}\n${watch}`], {
    env: { PATH: process.env.PATH ?? '', HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (output += text));
  exited = new Promise((resolve) => child.on('exit', resolve));
});

afterAll(async () => {
  // The whole session: dbus-run-session, the keyring daemon and the agent.
  if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
  await exited;
  await browser.close();
  await sandbox.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the token field', () => {
  it('starts with a first-run setup, stores the token without ever showing it back, then delivers', async () => {
    const url = await uiAddress({ child, exited: exited as Promise<number | null>, output: () => output });
    const context = await browser.newContext();
    const page = await context.newPage();
    const answers: string[] = [];
    page.on('response', (response) => {
      void response.text().then(
        (text) => answers.push(text),
        () => undefined,
      );
    });
    await page.goto(url);
    const setup = page.getByTestId('first-run');
    await setup.waitFor();
    expect(await setup.getByTestId('token-state').textContent()).toBe('No token is set.');

    const field = setup.getByLabel('API token for default');
    await field.fill(sandbox.token);
    expect(await field.getAttribute('type')).toBe('password');
    await setup.getByRole('button', { name: 'Save token' }).click();
    // Saved: the setup is done and the list shows.
    await page.getByTestId('empty-state').waitFor();

    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByTestId('settings');
    await settings.getByTestId('token-state').waitFor();
    expect(await settings.getByTestId('token-state').textContent()).toMatch(/A token is set/);
    expect(await settings.getByLabel('API token for default').inputValue()).toBe('');
    expect(await page.content()).not.toContain(sandbox.token);
    expect(answers.some((text) => text.includes(sandbox.token))).toBe(false);

    // The stored token is the one the agent now delivers with.
    await settings.getByRole('button', { name: 'Back to jobs' }).click();
    const name = 'keyed-2024-06-12-v1.csv';
    await dropFile(page, name, 'id,value\n1,2\n');
    await waitForChip(page, name, 'Completed');
    expect((await sandbox.deliveries()).filter((d) => d.filename === name)).toHaveLength(1);
    await context.close();
  });
});
