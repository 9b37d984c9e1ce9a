// `npm run screenshots`: the app window's main screens, light and dark, into
// docs/screenshots/. A real sandbox and real `ferry watch --ui` agents from
// the build; a journal seeded with a realistic mix of jobs so the list has
// something to show. Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import { clearInterval, setInterval } from 'node:timers';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startSandbox } from '../dist/sandbox/sandbox.js';

const OUT = 'docs/screenshots';
const HOUR = 3600_000;

const NAMES = [
  'orders-2024-06-12-v1.csv',
  'customers-2024-06-12-v2.csv',
  'inventory-20240612-v1.ndjson',
  'returns-2024-06-11-v1.csv.gz',
  'shipments-2024-06-11-v3.json',
  'pricing-2024-06-10-v1.csv',
  'suppliers-2024-06-10-v1.csv',
  'refunds-2024-06-09-v2.csv',
];

function seed(folder, now) {
  const records = NAMES.map((name, i) => ({
    id: `seed-${i}`,
    path: join(folder, name),
    folder,
    target: 'default',
    state: { status: 'completed', remoteId: `f_${(91_000 + i * 37).toString(36)}` },
    size: 48_000 + i * 91_317,
    sha256: createHash('sha256').update(name).digest('hex'),
    attempts: 1,
    history: [{ at: now - (i + 1) * HOUR, outcome: `delivered as f_${(91_000 + i * 37).toString(36)}` }],
    createdAt: now - (i + 1) * HOUR,
    updatedAt: now - (i + 1) * HOUR + 4000,
  }));
  records.push({
    id: 'seed-failed',
    path: join(folder, 'ledger-2024-06-12-v1.csv'),
    folder,
    target: 'default',
    state: {
      status: 'failed',
      error: { kind: 'http', message: 'the server answered 503 Service Unavailable' },
    },
    size: 731_002,
    attempts: 8,
    history: [
      {
        at: now - 20 * 60_000,
        outcome: 'failed',
        error: { kind: 'http', message: 'the server answered 503' },
      },
    ],
    createdAt: now - 25 * 60_000,
    updatedAt: now - 20 * 60_000,
  });
  records.push({
    id: 'seed-rejected',
    path: join(folder, 'Sales Report-2024-06-12-v1.csv'),
    folder,
    target: 'default',
    state: { status: 'rejected', reason: "bad-character: the name holds ' ', which is not allowed" },
    attempts: 0,
    history: [],
    createdAt: now - 5 * 60_000,
    updatedAt: now - 5 * 60_000,
  });
  return `${records.map((put) => JSON.stringify({ put })).join('\n')}\n`;
}

function startAgent(args, env) {
  const child = spawn(process.execPath, ['bin/ferry.js', 'watch', ...args, '--ui'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (t) => (output += t));
  child.stderr.setEncoding('utf8').on('data', (t) => (output += t));
  const url = new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const found = /UI: (\S+)/.exec(output)?.[1];
      if (found !== undefined) {
        clearInterval(timer);
        resolve(found);
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(output));
      }
    }, 50);
  });
  const stopped = new Promise((resolve) => child.on('exit', resolve));
  return { url, stop: () => (child.kill('SIGTERM'), stopped) };
}

const work = await mkdtemp(join(tmpdir(), 'ferry-shots-'));
const sandbox = await startSandbox({ port: 0 });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
try {
  await mkdir(OUT, { recursive: true });
  const folder = join(work, 'outbox');
  const state = join(work, 'state');
  await mkdir(folder, { recursive: true });
  await mkdir(state, { recursive: true });
  await writeFile(join(state, 'jobs.journal'), seed(folder, Date.now()));
  // A config file, so the settings screen can edit and save.
  const config = join(work, 'ferry.json');
  await writeFile(
    config,
    JSON.stringify({
      targets: { default: { profile: 'lexer', endpoint: `${sandbox.endpoint}/v1/uploads` } },
      folders: [{ path: folder, target: 'default', fields: { dataset_id: 'ds-1042' }, ignore: ['draft-*'] }],
    }),
  );
  const agent = startAgent(['--config', config, '--settle', '0.3', '--state-dir', state], {
    FERRY_TOKEN: sandbox.token,
  });
  // No config at all (and no token, no keyring in reach): the first-run setup.
  const fresh = startAgent(['--state-dir', join(work, 'fresh')], {
    FERRY_CONFIG: join(work, 'nothing', 'config.json'),
    FERRY_TOKEN: '',
    HOME: work,
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent',
  });
  const [url, freshUrl] = [await agent.url, await fresh.url];

  for (const scheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 720 }, colorScheme: scheme });
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('.job-row').first().waitFor();
    await page
      .getByText('All delivered')
      .or(page.getByText('need attention'))
      .or(page.getByText('needs attention'))
      .first()
      .waitFor();
    await page.screenshot({ path: `${OUT}/list-${scheme}.png` });
    await page.locator('.job-row', { hasText: 'Sales Report-2024-06-12-v1.csv' }).click();
    await page.getByTestId('naming-verdict').waitFor();
    await page.screenshot({ path: `${OUT}/detail-${scheme}.png` });
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByTestId('settings').getByTestId('token-state').waitFor();
    await page.getByTestId('settings').getByLabel('Try a name').fill('orders 2024-06-12.csv');
    await page.screenshot({ path: `${OUT}/settings-${scheme}.png` });
    const target = page.getByTestId('target-card-default');
    await target.getByRole('button', { name: 'Test connection' }).click();
    await target.getByTestId('connection-test').waitFor();
    await target.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${OUT}/settings-targets-${scheme}.png` });
    await page.goto(freshUrl);
    await page.getByTestId('first-run').waitFor();
    await page.screenshot({ path: `${OUT}/first-run-${scheme}.png` });
    await context.close();
  }
  // 200 % zoom: the list stays readable.
  const zoomed = await browser.newContext({ viewport: { width: 600, height: 360 }, deviceScaleFactor: 2 });
  const page = await zoomed.newPage();
  await page.goto(url);
  await page.locator('.job-row').first().waitFor();
  await page.screenshot({ path: `${OUT}/list-zoom-200.png` });
  await zoomed.close();
  await agent.stop();
  await fresh.stop();
  console.log(`screenshots written to ${OUT}/`);
} finally {
  await browser.close();
  await sandbox.close();
  await rm(work, { recursive: true, force: true });
}
