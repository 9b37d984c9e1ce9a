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

const DAY = 24 * HOUR;
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

/**
 * A folder of feeds with a week behind it: the ledger holds each expected file of the last days
 * (one missed), today's orders were rejected, today's stock is not due yet.
 */
async function seedFeeds(folder, state, now) {
  const feeds = [
    { descriptor: 'customers', days: [0, 1, 2, 3, 4, 5, 6], skip: [3] },
    { descriptor: 'orders', days: [1, 2, 3, 4, 5], skip: [0] },
    { descriptor: 'stock', days: [1, 3, 5], skip: [0] },
  ];
  const ledger = [];
  for (const feed of feeds)
    for (let back = 6; back >= 0; back -= 1) {
      const day = now - back * DAY;
      if (!feed.days.includes(new Date(day).getUTCDay()) || feed.skip.includes(back)) continue;
      const name = `${feed.descriptor}-${isoDay(day)}-v1.csv`;
      ledger.push({
        sha256: createHash('sha256').update(name).digest('hex'),
        path: join(folder, name),
        size: 40_000 + name.length * 911,
        mtimeMs: day - 2 * HOUR,
        remoteId: `f_${name.length.toString(36)}${back}`,
        target: 'default',
        deliveredAt: Math.min(now - HOUR, Date.parse(`${isoDay(day)}T07:12:00Z`)),
        folder,
        attempts: 1,
      });
    }
  await writeFile(join(state, 'delivered.ledger'), ledger.map((e) => `${JSON.stringify(e)}\n`).join(''));
  const starts = feeds.map(({ descriptor }) => ({ folder, descriptor, since: now - 10 * DAY }));
  await writeFile(join(state, 'expectations.json'), JSON.stringify({ starts }));
  const rejected = {
    id: 'seed-orders',
    path: join(folder, `orders-${isoDay(now)}-v1.csv`),
    folder,
    target: 'default',
    state: {
      status: 'rejected',
      reason: "content-csv-columns: 2 row(s) do not have the header's 3 field(s): line 4, 7",
    },
    size: 81_204,
    attempts: 0,
    history: [],
    createdAt: now - 2 * HOUR,
    updatedAt: now - 2 * HOUR,
  };
  await writeFile(join(state, 'jobs.journal'), `${JSON.stringify({ put: rejected })}\n`);
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
  // Expected files: a folder of daily and weekday feeds with a week behind it.
  const feeds = join(work, 'feeds');
  const feedsState = join(work, 'feeds-state');
  await mkdir(feeds, { recursive: true });
  await mkdir(feedsState, { recursive: true });
  await seedFeeds(feeds, feedsState, Date.now());
  const feedsConfig = join(work, 'feeds.json');
  await writeFile(
    feedsConfig,
    JSON.stringify({
      targets: { default: { profile: 'lexer', endpoint: `${sandbox.endpoint}/v1/uploads` } },
      folders: [
        {
          path: feeds,
          target: 'default',
          expect: [
            { descriptor: 'customers', every: 'day', by: '09:00', timezone: 'UTC' },
            { descriptor: 'orders', every: 'mon-fri', by: '07:30', timezone: 'Europe/London' },
            { descriptor: 'stock', every: 'mon,wed,fri', by: '23:59', timezone: 'UTC' },
          ],
        },
      ],
    }),
  );
  const feedsAgent = startAgent(['--config', feedsConfig, '--settle', '0.3', '--state-dir', feedsState], {
    FERRY_TOKEN: sandbox.token,
  });
  const [url, freshUrl, feedsUrl] = [await agent.url, await fresh.url, await feedsAgent.url];

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
    await page.goto(feedsUrl);
    await page.getByTestId('expectation-row').first().waitFor();
    await page.locator('.job-row').first().waitFor();
    await page.screenshot({ path: `${OUT}/expectations-${scheme}.png` });
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByTestId('expect-editor').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${OUT}/expectations-settings-${scheme}.png` });
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
  await feedsAgent.stop();
  console.log(`screenshots written to ${OUT}/`);
} finally {
  await browser.close();
  await sandbox.close();
  await rm(work, { recursive: true, force: true });
}
