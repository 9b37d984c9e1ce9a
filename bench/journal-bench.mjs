#!/usr/bin/env node
// B6: the cost of one journal append with 100 and with 10,000 jobs, and the replay of 10,000.
import { mkdtemp, rm } from 'node:fs/promises';
import { join, resolve, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { JobJournal } = await import(pathToFileURL(join(ROOT, 'dist', 'node', 'journal.js')).href);
const base = process.argv[2] ?? tmpdir();

const record = (i, status = 'queued') => ({
  id: `job-${i}`,
  path: `/data/out/file${i}-2024-01-31-v1.csv`,
  target: 'default',
  state: status === 'uploading' ? { status, sent: 0, total: 1024 } : { status },
  size: 1024,
  mtimeMs: 1_700_000_000_000,
  attempts: 0,
  history: [],
  createdAt: 1_700_000_000_000 + i,
  updatedAt: 1_700_000_000_000 + i,
});

async function appendCost(jobs, samples = 2000) {
  const dir = await mkdtemp(join(base, 'journal-'));
  const journal = new JobJournal(dir);
  await journal.load();
  for (let i = 0; i < jobs; i += 1) await journal.save(record(i));
  // warm-up, then measure non-terminal saves of existing jobs (what an upload's progress costs)
  for (let i = 0; i < 200; i += 1) await journal.save(record(i % jobs, 'uploading'));
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < samples; i += 1)
    await journal.save(record((i * 7919) % jobs, i % 2 ? 'uploading' : 'requesting-url'));
  const us = Number(process.hrtime.bigint() - t0) / 1e3 / samples;
  await journal.close();
  return { dir, us };
}

const small = await appendCost(100);
const large = await appendCost(10_000);
const t0 = process.hrtime.bigint();
const again = new JobJournal(large.dir);
const snap = await again.load();
const replayMs = Number(process.hrtime.bigint() - t0) / 1e6;
await again.close();
if (snap.records.length !== 10_000)
  throw new Error(`replay found ${snap.records.length} jobs, expected 10000`);
await rm(small.dir, { recursive: true, force: true });
await rm(large.dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    small: { jobs: 100, usPerAppend: small.us },
    large: { jobs: 10_000, usPerAppend: large.us },
    replay: { ms: replayMs, entries: snap.replay.entries, live: snap.replay.live },
  }),
);
