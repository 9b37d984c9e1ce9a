import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../src/engine/job-store.js';
import { JOURNAL_FILE } from '../../src/node/journal.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import type { JobState } from '../../src/shared/job.js';
import { watch, type Run } from '../support/ferry-cli.js';
import { openBrowser, suiteDir, uiAddress, type OpenBrowser } from '../support/ferry-ui.js';

/**
 * 10,000 jobs in the window: seeded as a journal of finished jobs (the
 * `{"put": record}` lines of src/node/journal.ts), loaded by a real agent,
 * rendered and scrolled in Chromium. Frame times are measured and reported,
 * not asserted: they depend on the machine. With FERRY_BENCH_WRITE=1
 * (`npm run bench:ui`) they are written to docs/benchmarks.md.
 */
const JOBS = 10_000;
const SCROLL_FRAMES = 240;

let sandbox: RunningSandbox;
let browser: OpenBrowser;
let agent: Run;
let url = '';
const dirs: string[] = [];

function state(i: number): JobState {
  if (i % 25 === 0) return { status: 'failed', error: { kind: 'http', message: 'the server answered 500' } };
  if (i % 40 === 0) return { status: 'rejected', reason: 'bad-character: a space is not allowed' };
  return { status: 'completed', remoteId: `remote-${i}` };
}

async function seedJournal(stateDir: string, folder: string): Promise<void> {
  const start = Date.UTC(2024, 5, 12);
  const lines: string[] = [];
  for (let i = 0; i < JOBS; i += 1) {
    const record: JobRecord = {
      id: `seeded-${String(i).padStart(5, '0')}`,
      path: join(folder, `batch${String(i).padStart(5, '0')}-2024-06-12-v1.csv`),
      folder,
      target: 'default',
      state: state(i),
      size: 1000 + i,
      attempts: 1,
      history: [{ at: start + i * 1000, outcome: 'delivered' }],
      createdAt: start + i * 1000,
      updatedAt: start + i * 1000,
    };
    lines.push(JSON.stringify({ put: record }));
  }
  await mkdir(stateDir, { recursive: true });
  await writeFile(join(stateDir, JOURNAL_FILE), `${lines.join('\n')}\n`);
}

const MARK_START = '<!-- ui-benchmark:start -->';
const MARK_END = '<!-- ui-benchmark:end -->';

/** Replaces only this benchmark's section: others write the same file. */
async function writeBenchmark(section: string): Promise<void> {
  const path = 'docs/benchmarks.md';
  const text = await readFile(path, 'utf8').catch(() => '# Benchmarks\n');
  const block = `${MARK_START}\n${section}\n${MARK_END}`;
  const at = text.indexOf(MARK_START);
  const end = text.indexOf(MARK_END);
  const next =
    at >= 0 && end > at
      ? text.slice(0, at) + block + text.slice(end + MARK_END.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  await writeFile(path, next);
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  browser = await openBrowser();
  const [folder, stateDir] = [await suiteDir('ui-many'), await suiteDir('ui-many-state')];
  dirs.push(folder, stateDir);
  await seedJournal(stateDir, folder);
  agent = watch(sandbox, folder, stateDir, ['--ui']);
  url = await uiAddress(agent, 60_000);
});

afterAll(async () => {
  agent.child.kill('SIGTERM');
  await agent.exited;
  await browser.close();
  await sandbox.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

interface BrowserGlobals {
  readonly document: {
    querySelector(selector: string): { scrollTop: number; readonly scrollHeight: number } | null;
  };
  requestAnimationFrame(callback: (time: number) => void): number;
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

describe('10,000 jobs', () => {
  it('renders them virtualized and scrolls from the first to the last', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const opened = Date.now();
    await page.goto(url);
    const all = page.getByRole('tab', { name: /All/ });
    await expect.poll(() => all.locator('.count').textContent(), { timeout: 30_000 }).toBe('10,000');
    const firstPaintMs = Date.now() - opened;
    expect(
      await page
        .getByRole('tab', { name: /Needs attention/ })
        .locator('.count')
        .textContent(),
    ).toBe(String(JOBS / 25 + JOBS / 40 - JOBS / 200));
    // Virtualized: a screenful of rows exists, not 10,000.
    const rows = await page.locator('.job-row').count();
    expect(rows).toBeGreaterThan(5);
    expect(rows).toBeLessThan(60);

    const frames = await page.evaluate(async (count) => {
      // Runs in the page; Node's types (this file's) know no DOM.
      const page = globalThis as unknown as BrowserGlobals;
      const list = page.document.querySelector('[data-testid="job-list"]');
      if (list === null) throw new Error('no job list');
      const frame = () => new Promise<number>((resolve) => page.requestAnimationFrame(resolve));
      const gaps: number[] = [];
      let last = await frame();
      for (let i = 0; i < count; i += 1) {
        list.scrollTop += list.scrollHeight / count;
        const now = await frame();
        gaps.push(now - last);
        last = now;
      }
      return gaps;
    }, SCROLL_FRAMES);
    // The last job is reached and drawn.
    await page.getByTestId('job-list').focus();
    await page.keyboard.press('End');
    await page.locator('.job-name', { hasText: 'batch00000-2024-06-12-v1.csv' }).waitFor();

    const sorted = [...frames].sort((a, b) => a - b);
    const mean = frames.reduce((sum, gap) => sum + gap, 0) / frames.length;
    const figures = {
      mean: mean.toFixed(1),
      p50: quantile(sorted, 0.5).toFixed(1),
      p95: quantile(sorted, 0.95).toFixed(1),
      max: (sorted.at(-1) ?? 0).toFixed(1),
      over50: frames.filter((gap) => gap > 50).length,
    };
    expect(frames).toHaveLength(SCROLL_FRAMES);
    console.log(`10,000 jobs: list shown after ${firstPaintMs} ms; scroll frames ${JSON.stringify(figures)}`);
    if (process.env.FERRY_BENCH_WRITE === '1') {
      await writeBenchmark(
        [
          '## UI',
          '',
          `The app window with ${JOBS.toLocaleString('en')} jobs (seeded journal, real \`ferry watch --ui\`, Debian's`,
          `Chromium headless, 1200×760, no GPU), scrolled top to bottom in ${SCROLL_FRAMES} steps, one per`,
          'animation frame; gaps between frames measured with `requestAnimationFrame`',
          '(`npm run bench:ui`, test/renderer/many-jobs.test.ts). Measured, not asserted.',
          '',
          '| measure | value |',
          '| --- | --- |',
          `| open → 10,000 jobs listed | ${firstPaintMs} ms |`,
          `| frame gap, mean | ${figures.mean} ms |`,
          `| frame gap, median | ${figures.p50} ms |`,
          `| frame gap, 95th percentile | ${figures.p95} ms |`,
          `| frame gap, worst | ${figures.max} ms |`,
          `| frames over 50 ms | ${figures.over50} of ${SCROLL_FRAMES} |`,
          `| rows in the DOM | ${rows} |`,
        ].join('\n'),
      );
    }
    await context.close();
  });
});
