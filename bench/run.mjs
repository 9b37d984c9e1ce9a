#!/usr/bin/env node
/* global setTimeout, clearTimeout, fetch, Buffer, performance */
// `npm run bench`: Ferry next to curl, rclone and aws against the sandbox on loopback.
// Writes docs/benchmarks.md. Assumes root + apt for rclone/awscli/time when they are missing.
// BENCH_RUNS (default 5) sets repetitions; BENCH_QUICK=1 shrinks sizes for a smoke run.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { link, mkdir, mkdtemp, rm, writeFile, stat } from 'node:fs/promises';
import { cpus, totalmem, tmpdir, release } from 'node:os';
import { basename, join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Run as a program, as npm's bin link runs it: its #! line sets Node's heap (issue #15). */
const FERRY = join(ROOT, 'bin', 'ferry.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const QUICK = process.env.BENCH_QUICK === '1';
const envNum = (name, fallback) => (process.env[name] === undefined ? fallback : Number(process.env[name]));
const BIG = envNum('BENCH_BIG_MIB', QUICK ? 64 : 1024) * 2 ** 20;
const SMALL_COUNT = envNum('BENCH_SMALL_FILES', QUICK ? 100 : 1000);
/**
 * B2 at scale (#15: time linear in the count, memory flat): BENCH_FULL=1 runs it at 10,000 files,
 * about 6 minutes a run here; BENCH_SCALE_FILES sets the count (0: skip).
 */
const SCALE_COUNT = envNum('BENCH_SCALE_FILES', process.env.BENCH_FULL === '1' ? 10_000 : 0);
const SCALE_RUNS = envNum('BENCH_SCALE_RUNS', Math.min(RUNS, 3));
/** The floor client's files in flight: as the issue measured it (#15). */
const FLOOR_CONCURRENCY = envNum('BENCH_FLOOR_CONCURRENCY', 8);
// 10,000 is the figure, but delivering them first takes Ferry ~7 min here (about 23 files/s).
const IDLE_COUNT = envNum('BENCH_IDLE_FILES', QUICK ? 1000 : 3000);
const IDLE_SECONDS = envNum('BENCH_IDLE_SECONDS', QUICK ? 10 : 60);
const SETTLE = 0.2;
const started = Date.now();
const log = (m) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${m}\n`);

// ---------- tools ----------
function ensureTools() {
  const need = [];
  if (!existsSync('/usr/bin/rclone')) need.push('rclone');
  if (!existsSync('/usr/bin/aws')) need.push('awscli');
  if (!existsSync('/usr/bin/time')) need.push('time');
  if (!existsSync('/usr/bin/curl')) need.push('curl');
  if (!existsSync('/usr/bin/jq')) need.push('jq');
  if (need.length === 0) return;
  log(`apt-get install ${need.join(' ')}`);
  execFileSync('apt-get', ['update'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...need], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}
const version = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      .split('\n')[0]
      .trim();
  } catch (e) {
    return `unavailable (${e.message.split('\n')[0]})`;
  }
};
function machine() {
  const disk = spawnSync('df', ['-h', '--output=source,fstype,size,avail', tmpdir()], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .pop();
  const model = cpus()[0]?.model ?? '?';
  return {
    cores: `${cpus().length} × ${model}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    disk: `${tmpdir()}: ${disk.replace(/\s+/g, ' ')}`,
    kernel: release(),
    node: process.version,
    curl: version('/usr/bin/curl', ['--version']),
    rclone: version('/usr/bin/rclone', ['version']),
    aws: version('/usr/bin/aws', ['--version']),
  };
}

// ---------- process helpers ----------
/** Runs a command under /usr/bin/time -v; returns wall seconds, peak RSS (KiB), exit code, output. */
async function timed(cmd, args, env = {}, opts = {}) {
  const t0 = process.hrtime.bigint();
  const child = spawn('/usr/bin/time', ['-v', cmd, ...args], {
    env: { ...process.env, ...env },
    cwd: opts.cwd ?? ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const [code] = await once(child, 'close');
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1] ?? NaN);
  if (code !== 0 && !opts.allowFail)
    throw new Error(`${cmd} ${args.join(' ')} exited ${code}\n${out}\n${err.slice(-2000)}`);
  return { seconds, rssKiB: rss, code, out, err };
}

async function startSandbox(extra = []) {
  const child = spawn(process.execPath, [FERRY, 'sandbox', '--json', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.resume();
  let buf = '';
  for await (const chunk of child.stdout) {
    buf += chunk;
    if (buf.includes('\n')) break;
  }
  const info = JSON.parse(buf.split('\n')[0]);
  return {
    ...info,
    async close() {
      child.kill('SIGINT');
      await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
    async deliveries() {
      const res = await fetch(`${info.endpoint}/sandbox/deliveries`, {
        headers: { 'Auth-Api-Token': info.token },
      });
      return (await res.json()).deliveries;
    },
  };
}

const rcloneEnv = (sb) => ({
  AWS_CA_BUNDLE: '',
  RCLONE_CONFIG_SB_TYPE: 's3',
  RCLONE_CONFIG_SB_PROVIDER: 'Other',
  RCLONE_CONFIG_SB_ENDPOINT: sb.s3.endpoint,
  RCLONE_CONFIG_SB_ACCESS_KEY_ID: sb.s3.accessKeyId,
  RCLONE_CONFIG_SB_SECRET_ACCESS_KEY: sb.s3.secretAccessKey,
  RCLONE_CONFIG_SB_REGION: sb.s3.region,
  RCLONE_CONFIG_SB_FORCE_PATH_STYLE: 'true',
});
const awsEnv = (sb) => ({
  AWS_ACCESS_KEY_ID: sb.s3.accessKeyId,
  AWS_SECRET_ACCESS_KEY: sb.s3.secretAccessKey,
  AWS_DEFAULT_REGION: sb.s3.region,
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PAGER: '',
});
function withoutCaBundle(env) {
  const e = { ...process.env, ...env };
  delete e.AWS_CA_BUNDLE;
  return e;
}
async function timedNoCa(cmd, args, env) {
  const saved = process.env.AWS_CA_BUNDLE;
  delete process.env.AWS_CA_BUNDLE;
  try {
    const e = withoutCaBundle(env);
    delete e.AWS_CA_BUNDLE;
    return await timed(cmd, args, e);
  } finally {
    if (saved !== undefined) process.env.AWS_CA_BUNDLE = saved;
  }
}

// ---------- data ----------
async function writeCsv(path, bytes) {
  const row = 'id,name,email,amount,created\n';
  const line = '123456,Ada Lovelace,ada@example.com,1234.56,2024-01-31\n';
  const block = Buffer.from(line.repeat(Math.floor((1 << 20) / line.length)));
  const out = createWriteStream(path);
  out.write(row);
  let left = bytes - row.length;
  while (left >= line.length) {
    const whole = Math.min(block.length, left - (left % line.length));
    const chunk = whole === block.length ? block : block.subarray(0, whole);
    if (!out.write(chunk)) await once(out, 'drain');
    left -= chunk.length;
  }
  out.end();
  await once(out, 'finish');
}
async function writeSmallFiles(dir, count, size, tag) {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i += 1) {
    const head = `id,tag,n\n`;
    const line = `${i},${tag},${'x'.repeat(20)}\n`;
    // Whole rows only (a cut row is a ragged CSV that Ferry rightly refuses); size is approximate.
    const body = head + line.repeat(Math.max(1, Math.floor((size - head.length) / line.length)));
    await writeFile(join(dir, `f${tag}${String(i).padStart(5, '0')}-2024-01-31-v1.csv`), body);
  }
}

async function presign(sb, filename) {
  const res = await fetch(`${sb.endpoint}/v1/uploads`, {
    method: 'POST',
    headers: { 'Auth-Api-Token': sb.token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ filename }),
  });
  if (!res.ok) throw new Error(`presign ${res.status} ${await res.text()}`);
  return (await res.json()).url;
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1], n: s.length };
};
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const fmt = (st, unit = '') => `${f2(st.median)}${unit} (${f2(st.min)}–${f2(st.max)})`;

// ---------- B1 + B3 + issue 10 ----------
async function b1(work) {
  const file = join(work, 'big-2024-01-31-v1.csv');
  log(`B1: writing ${BIG} bytes`);
  await writeCsv(file, BIG);
  const size = (await stat(file)).size;
  const spawnSyncCat = () => spawnSync('cat', [file], { stdio: ['ignore', 'ignore', 'ignore'] });
  spawnSyncCat();
  const rows = { ferry: [], curl: [], rclone: [], aws: [], multipart: [] };
  const rss = { ferry: [], rclone: [], multipart: [], curl: [], aws: [] };
  const ratio = { curl: [], rclone: [], mpRclone: [] };
  let multipartNote;
  for (let r = 0; r < RUNS; r += 1) {
    const sb = await startSandbox();
    try {
      const state = await mkdtemp(join(work, 'st-'));
      const fr = await timed(FERRY, ['upload', file, ...lexerTarget(sb), '--state-dir', state, '--json'], {
        FERRY_TOKEN: sb.token,
      });
      rows.ferry.push(fr.seconds);
      rss.ferry.push(fr.rssKiB);
      const t0 = process.hrtime.bigint();
      const url = await presign(sb, 'big-2024-01-31-v1.csv');
      const presignS = Number(process.hrtime.bigint() - t0) / 1e9;
      const cr = await timed('/usr/bin/curl', ['-sS', '--fail', '-o', '/dev/null', '-T', file, url]);
      rows.curl.push(cr.seconds + presignS);
      rss.curl.push(cr.rssKiB);
      const rc = await timedNoCa(
        '/usr/bin/rclone',
        ['copyto', file, `sb:${sb.s3.bucket}/rclone/${r}/big.csv`],
        rcloneEnv(sb),
      );
      rows.rclone.push(rc.seconds);
      rss.rclone.push(rc.rssKiB);
      const aw = await timedNoCa(
        '/usr/bin/aws',
        [
          's3',
          'cp',
          '--only-show-errors',
          '--endpoint-url',
          sb.s3.endpoint,
          file,
          `s3://${sb.s3.bucket}/aws/${r}/big.csv`,
        ],
        awsEnv(sb),
      );
      rows.aws.push(aw.seconds);
      rss.aws.push(aw.rssKiB);
      const mstate = await mkdtemp(join(work, 'mst-'));
      const mp = await timed(
        FERRY,
        [
          'upload',
          file,
          '--endpoint',
          `${sb.endpoint}/v1/multipart`,
          '--profile',
          's3-multipart',
          '--state-dir',
          mstate,
          '--json',
        ],
        { FERRY_TOKEN: sb.token },
        { allowFail: true },
      );
      if (mp.code === 0) {
        rows.multipart.push(mp.seconds);
        rss.multipart.push(mp.rssKiB);
        ratio.mpRclone.push(mp.seconds / rc.seconds);
      } else
        multipartNote = `not available yet (exit ${mp.code}: ${(mp.out + mp.err).split('\n').find((l) => l.trim() !== '') ?? ''})`;
      ratio.curl.push(fr.seconds / rows.curl.at(-1));
      ratio.rclone.push(fr.seconds / rc.seconds);
      const got = await sb.deliveries();
      const ok = got.filter((d) => d.size === size).length;
      if (ok < (mp.code === 0 ? 3 : 2))
        throw new Error(`B1 run ${r}: expected the vendor API to hold the file, got ${JSON.stringify(got)}`);
      await rm(state, { recursive: true, force: true });
      await rm(mstate, { recursive: true, force: true });
      log(
        `B1 run ${r}: ferry ${f2(fr.seconds)}s curl ${f2(rows.curl.at(-1))}s rclone ${f2(rc.seconds)}s aws ${f2(aw.seconds)}s multipart ${mp.code === 0 ? f2(mp.seconds) : 'n/a'}s`,
      );
    } finally {
      await sb.close();
    }
  }
  // issue 10: content check from the disk cache
  const check = [];
  const checkRss = [];
  for (let r = 0; r < RUNS; r += 1) {
    spawnSyncCat();
    const c = await timed(FERRY, ['check', '--content', file], {}, { allowFail: true });
    if (c.code !== 0) throw new Error(`check --content failed: ${c.out}${c.err.slice(0, 500)}`);
    check.push(size / 1e6 / c.seconds);
    checkRss.push(c.rssKiB);
  }
  const convertRss = await convertRuns(work, file);
  await rm(file, { force: true });
  return { size, rows, rss, ratio, multipartNote, check, checkRss, convertRss };
}

/**
 * Issue 10: the B1 file checked, converted to NDJSON and delivered by `ferry watch --once`
 * (a folder with `convert: csv-to-ndjson`); its peak RSS. A hard link puts the file in the
 * folder without copying it.
 */
async function convertRuns(work, file) {
  const peaks = [];
  for (let r = 0; r < RUNS; r += 1) {
    const sb = await startSandbox();
    const dir = await mkdtemp(join(work, 'convert-'));
    const state = await mkdtemp(join(work, 'st-'));
    try {
      await link(file, join(dir, basename(file)));
      const config = join(dir, 'ferry.json');
      await writeFile(
        config,
        JSON.stringify({
          targets: {
            vendor: {
              profile: 'lexer',
              endpoint: `${sb.endpoint}/v1/uploads`,
              auth: { style: 'auth-api-token' },
            },
          },
          folders: [{ path: dir, target: 'vendor', convert: 'csv-to-ndjson', ignore: ['ferry.json'] }],
        }),
      );
      const run = await timed(
        FERRY,
        ['watch', '--config', config, '--state-dir', state, '--once', '--settle', String(SETTLE)],
        { FERRY_TOKEN: sb.token },
      );
      const got = await sb.deliveries();
      if (!got.some((d) => d.filename.endsWith('.ndjson')))
        throw new Error(`convert run ${r}: no NDJSON delivery in ${JSON.stringify(got)}`);
      peaks.push(run.rssKiB);
      log(`I10 convert run ${r}: ${f2(run.seconds)}s, peak RSS ${f2(run.rssKiB / 1024)} MiB`);
    } finally {
      await sb.close();
      await rm(dir, { recursive: true, force: true });
      await rm(state, { recursive: true, force: true });
    }
  }
  return peaks;
}

// ---------- B7 (issue 9): a rate cap ----------
const CAP_MIB = 16;
/**
 * `ferry watch --limit-rate 16M` on one 64 MiB file: the achieved rate is the file's size over
 * the time from its `uploading` event to its `completed` event (the PUT, at the cap).
 */
async function b7(work) {
  const rates = [];
  for (let r = 0; r < RUNS; r += 1) {
    const sb = await startSandbox();
    const dir = await mkdtemp(join(work, 'capped-'));
    const state = await mkdtemp(join(work, 'st-'));
    const name = `capped${r}-2024-01-31-v1.csv`;
    await writeCsv(join(dir, name), 64 * 2 ** 20);
    const size = (await stat(join(dir, name))).size;
    const agent = watchAgent(dir, sb, state, ['--limit-rate', `${CAP_MIB}M`, '--settle', String(SETTLE)]);
    try {
      const isFile = (status) => (ev) => ev.event === 'job' && ev.status === status && ev.file.endsWith(name);
      const [from, to] = await Promise.all([
        agent.waitFor(isFile('uploading'), 120_000),
        agent.waitFor(isFile('completed'), 120_000),
      ]);
      rates.push(size / 2 ** 20 / ((to - from) / 1000));
      log(`B7 run ${r}: ${f2(rates.at(-1))} MiB/s against a cap of ${CAP_MIB} MiB/s`);
    } finally {
      await agent.stop();
      await sb.close();
      await rm(dir, { recursive: true, force: true });
      await rm(state, { recursive: true, force: true });
    }
  }
  return { rates };
}

// ---------- B2 ----------
async function b2(work) {
  const rows = { ferry: [], floor: [], curl: [], rclone: [], aws: [] };
  const ratio = { floor: [], curl: [], rclone: [] };
  const ferryRss = [];
  const script = join(work, 'curl-loop.sh');
  writeFileSync(
    script,
    `set -e\nfor f in "$DIR"/*; do n=$(basename "$f"); url=$(curl -sS --fail -XPOST -H "Auth-Api-Token: $TOKEN" -H 'Content-Type: application/json' -d "{\\"filename\\": \\"$n\\"}" "$EP/v1/uploads" | jq -r .url); curl -sS --fail -o /dev/null -T "$f" "$url"; done\n`,
  );
  for (let r = 0; r < RUNS; r += 1) {
    const dir = join(work, `small-${r}`);
    await writeSmallFiles(dir, SMALL_COUNT, 10 * 1024, `r${r}`);
    const sb = await startSandbox();
    try {
      const state = await mkdtemp(join(work, 'st-'));
      const fr = await timed(FERRY, lexerWatch(dir, sb, state, ['--once', '--settle', String(SETTLE)]), {
        FERRY_TOKEN: sb.token,
      });
      const after = (await sb.deliveries()).length;
      if (after !== SMALL_COUNT) throw new Error(`B2 ferry delivered ${after} of ${SMALL_COUNT}`);
      // The floor: POST + PUT per file, keep-alive, FLOOR_CONCURRENCY at a time.
      const fl = await timed(process.execPath, [
        join(ROOT, 'bench', 'floor-client.mjs'),
        dir,
        sb.endpoint,
        sb.token,
        String(FLOOR_CONCURRENCY),
      ]);
      const floorDelivered = (await sb.deliveries()).length - after;
      if (floorDelivered !== SMALL_COUNT)
        throw new Error(`B2 floor client delivered ${floorDelivered} of ${SMALL_COUNT}`);
      const cr = await timed('bash', [script], { DIR: dir, EP: sb.endpoint, TOKEN: sb.token });
      const rc = await timedNoCa(
        '/usr/bin/rclone',
        ['copy', dir, `sb:${sb.s3.bucket}/rclone/${r}/`],
        rcloneEnv(sb),
      );
      const aw = await timedNoCa(
        '/usr/bin/aws',
        [
          's3',
          'sync',
          '--only-show-errors',
          '--endpoint-url',
          sb.s3.endpoint,
          dir,
          `s3://${sb.s3.bucket}/aws/${r}/`,
        ],
        awsEnv(sb),
      );
      rows.ferry.push(fr.seconds);
      ferryRss.push(fr.rssKiB);
      rows.floor.push(fl.seconds);
      rows.curl.push(cr.seconds);
      rows.rclone.push(rc.seconds);
      rows.aws.push(aw.seconds);
      ratio.floor.push(fr.seconds / fl.seconds);
      ratio.curl.push(fr.seconds / cr.seconds);
      ratio.rclone.push(fr.seconds / rc.seconds);
      log(
        `B2 run ${r}: ferry ${f2(fr.seconds)}s floor ${f2(fl.seconds)}s curl-loop ${f2(cr.seconds)}s rclone ${f2(rc.seconds)}s aws ${f2(aw.seconds)}s`,
      );
      await rm(state, { recursive: true, force: true });
    } finally {
      await sb.close();
      await rm(dir, { recursive: true, force: true });
    }
  }
  return { rows, ratio, ferryRss };
}

/** Ferry and the floor client at SCALE_COUNT files: per-file time and peak RSS against B2's. */
async function b2scale(work) {
  if (SCALE_COUNT === 0) return undefined;
  const result = { ferry: [], floor: [], ratio: [], ferryRss: [] };
  for (let r = 0; r < SCALE_RUNS; r += 1) {
    const dir = join(work, `scale-${r}`);
    await writeSmallFiles(dir, SCALE_COUNT, 10 * 1024, `s${r}`);
    const sb = await startSandbox();
    try {
      const state = await mkdtemp(join(work, 'st-'));
      const fr = await timed(FERRY, lexerWatch(dir, sb, state, ['--once', '--settle', String(SETTLE)]), {
        FERRY_TOKEN: sb.token,
      });
      const after = (await sb.deliveries()).length;
      if (after !== SCALE_COUNT) throw new Error(`B2 scale: ferry delivered ${after} of ${SCALE_COUNT}`);
      const fl = await timed(process.execPath, [
        join(ROOT, 'bench', 'floor-client.mjs'),
        dir,
        sb.endpoint,
        sb.token,
        String(FLOOR_CONCURRENCY),
      ]);
      result.ferry.push(fr.seconds);
      result.ferryRss.push(fr.rssKiB);
      result.floor.push(fl.seconds);
      result.ratio.push(fr.seconds / fl.seconds);
      log(
        `B2 scale run ${r}: ${SCALE_COUNT} files, ferry ${f2(fr.seconds)}s (${f2(fr.rssKiB / 1024)} MiB) floor ${f2(fl.seconds)}s`,
      );
      await rm(state, { recursive: true, force: true });
    } finally {
      await sb.close();
      await rm(dir, { recursive: true, force: true });
    }
  }
  return result;
}

// ---------- watch helper with JSON events ----------
/** The sandbox's lexer API as the target of a quick (config-less) command. */
function lexerTarget(sb) {
  return ['--endpoint', `${sb.endpoint}/v1/uploads`, '--profile', 'lexer'];
}

/** `ferry watch` of one folder to the sandbox's lexer API: the arguments after node. */
function lexerWatch(dir, sb, state, extra) {
  return ['watch', dir, ...lexerTarget(sb), '--state-dir', state, ...extra];
}

function watchAgent(dir, sb, state, extra = []) {
  const t0 = performance.now();
  const child = spawn(FERRY, lexerWatch(dir, sb, state, ['--json', ...extra]), {
    env: { ...process.env, FERRY_TOKEN: sb.token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.resume();
  const listeners = new Set();
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      let ev;
      try {
        ev = JSON.parse(line);
      } catch {
        continue;
      }
      const at = performance.now();
      for (const l of listeners) l(ev, at);
    }
  });
  const waitFor = (pred, ms = 60_000) =>
    new Promise((res, rej) => {
      const timer = setTimeout(() => {
        listeners.delete(l);
        rej(new Error('timeout waiting for agent event'));
      }, ms);
      const l = (ev, at) => {
        if (pred(ev)) {
          clearTimeout(timer);
          listeners.delete(l);
          res(at);
        }
      };
      listeners.add(l);
    });
  const stop = async () => {
    child.kill('SIGTERM');
    await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  return { child, t0, waitFor, stop };
}

// ---------- B4 ----------
async function b4(work) {
  const dir = join(work, 'latency');
  await mkdir(dir);
  const sb = await startSandbox();
  const state = await mkdtemp(join(work, 'st-'));
  const agent = watchAgent(dir, sb, state); // default settle window (2 s)
  const lat = [];
  try {
    await new Promise((r) => setTimeout(r, 1500));
    for (let r = 0; r < RUNS; r += 1) {
      const name = `lat${r}-2024-01-31-v1.csv`;
      const file = join(dir, name);
      const up = agent.waitFor(
        (ev) => ev.event === 'job' && ev.file === file && ev.status === 'uploading',
        30_000,
      );
      await writeFile(file, `id,n\n${r},${Date.now()}\n`); // writeFile closes the file when it resolves
      const closedAt = performance.now();
      const at = await up;
      lat.push((at - closedAt) / 1000);
      await agent.waitFor(
        (ev) => ev.event === 'job' && ev.file === file && ev.status === 'completed',
        30_000,
      );
    }
  } finally {
    await agent.stop();
    await sb.close();
  }
  return { lat };
}

// ---------- B5 ----------
function cpuTicks(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const parts = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return Number(parts[11]) + Number(parts[12]); // utime + stime
}
async function b5(work) {
  const dir = join(work, 'idle');
  log(`B5: preparing ${IDLE_COUNT} delivered files`);
  await writeSmallFiles(dir, IDLE_COUNT, 200, 'idle');
  const sb = await startSandbox();
  const state = await mkdtemp(join(work, 'st-'));
  try {
    const pre = await timed(FERRY, lexerWatch(dir, sb, state, ['--once', '--settle', String(SETTLE)]), {
      FERRY_TOKEN: sb.token,
    });
    log(`B5: delivered ${IDLE_COUNT} in ${f2(pre.seconds)}s`);
    const ready = [];
    let cpuPct;
    for (let r = 0; r < Math.min(RUNS, 3); r += 1) {
      const agent = watchAgent(dir, sb, state, ['--settle', String(SETTLE)]);
      const probe = join(dir, `probe${r}-2024-01-31-v1.csv`);
      await writeFile(probe, `id\n${r}${Date.now()}\n`);
      const seen = agent.waitFor((ev) => ev.event === 'job' && ev.file === probe, 60_000);
      const at = await seen.catch(() => NaN);
      ready.push((at - agent.t0) / 1000);
      if (Number.isNaN(at)) {
        log(`B5: restart ${r}: no event for the probe file within 60 s`);
        await agent.stop();
        continue;
      }
      await agent.waitFor(
        (ev) => ev.event === 'job' && ev.file === probe && ev.status === 'completed',
        60_000,
      );
      if (r === 0) {
        await new Promise((res) => setTimeout(res, 3000));
        const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
        const a = cpuTicks(agent.child.pid);
        const t = performance.now();
        await new Promise((res) => setTimeout(res, IDLE_SECONDS * 1000));
        const b = cpuTicks(agent.child.pid);
        cpuPct = ((b - a) / hz / ((performance.now() - t) / 1000)) * 100;
        log(`B5: idle CPU ${f2(cpuPct)}% over ${IDLE_SECONDS}s`);
      }
      await agent.stop();
    }
    return { ready, cpuPct, prepSeconds: pre.seconds };
  } finally {
    await sb.close();
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------- B6 ----------
async function b6(work) {
  const script = join(ROOT, 'bench', 'journal-bench.mjs');
  const r = await timed(process.execPath, [script, work]);
  return JSON.parse(r.out.trim().split('\n').pop());
}

// ---------- main ----------
const MARK_START = '<!-- delivery-benchmark:start -->';
const MARK_END = '<!-- delivery-benchmark:end -->';
/** Replaces only this benchmark's section: `npm run bench:ui` writes its own into the same file. */
function writeSection(path, section) {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const block = `${MARK_START}\n${section.trimEnd()}\n${MARK_END}`;
  const at = text.indexOf(MARK_START);
  const end = text.indexOf(MARK_END);
  const next =
    at >= 0 && end > at
      ? text.slice(0, at) + block + text.slice(end + MARK_END.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
}

async function main() {
  ensureTools();
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js')) || process.env.BENCH_NO_BUILD !== '1') {
    log('npm run build');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  }
  const m = machine();
  const work = await mkdtemp(join(tmpdir(), 'ferry-bench-'));
  const phase = {};
  const run = async (name, fn) => {
    const t = Date.now();
    log(`${name} …`);
    try {
      const v = await fn();
      return v;
    } finally {
      phase[name] = (Date.now() - t) / 1000;
    }
  };
  try {
    const B6 = await run('B6', () => b6(work));
    const B4 = await run('B4', () => b4(work));
    const B1 = await run('B1', () => b1(work));
    const B2 = await run('B2', () => b2(work));
    B2.scale = await run('B2 scale', () => b2scale(work));
    const B5 = await run('B5', () => b5(work));
    const B7 = await run('B7', () => b7(work));
    const total = (Date.now() - started) / 1000;
    const md = report({ m, B1, B2, B4, B5, B6, B7, phase, total });
    writeSection(join(ROOT, 'docs', 'benchmarks.md'), md);
    // `npm test` runs prettier --check over the repo: write the file the way it wants it.
    spawnSync('npx', ['prettier', '--write', 'docs/benchmarks.md'], { cwd: ROOT, stdio: 'ignore' });
    process.stdout.write(md);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function verdict(ok) {
  return ok ? 'met' : '**missed**';
}
function report({ m, B1, B2, B4, B5, B6, B7, phase, total }) {
  const mib = (kib) => kib / 1024;
  const s = (xs) => stats(xs);
  const MiB = (xs) => stats(xs.map(mib));
  const rc = s(B1.ratio.curl);
  const rr = s(B1.ratio.rclone);
  const b2c = s(B2.ratio.curl);
  const b2r = s(B2.ratio.rclone);
  const b2f = s(B2.ratio.floor);
  const b2Rss = MiB(B2.ferryRss);
  const ferryRss = MiB(B1.rss.ferry);
  const lat = s(B4.lat);
  const ready = s(B5.ready);
  const chk = s(B1.check);
  const chkRss = MiB(B1.checkRss);
  const convRss = MiB(B1.convertRss);
  const capped = s(B7.rates);
  const mp = B1.rows.multipart.length > 0 ? s(B1.ratio.mpRclone) : undefined;
  const L = [];
  L.push('## Delivery: Ferry next to curl, rclone and aws (`npm run bench`)', '');
  L.push(
    `Generated by \`npm run bench\` (bench/run.mjs) on ${new Date().toISOString()}; whole run ${f2(total / 60)} min.`,
  );
  L.push(
    `Each figure is the median of ${RUNS} runs with (min–max); ratios are taken within the same run, then summarised.`,
  );
  L.push(
    `All traffic is on loopback to \`ferry sandbox\` (vendor API + s3rver on the same machine, same disk), so these figures`,
  );
  L.push(
    'compare clients against one slow local receiver, not against a network.' +
      (QUICK ? ' **BENCH_QUICK=1: reduced sizes.**' : ''),
    '',
  );
  L.push('### Machine', '');
  for (const [k, v] of Object.entries(m)) L.push(`- ${k}: ${v}`);
  L.push('');
  L.push('### Targets', '', '| # | figure | measured | target | verdict |', '|---|---|---|---|---|');
  L.push(
    `| B1 | ferry upload / (POST + curl -T), ${(B1.size / 2 ** 30).toFixed(2)} GiB | ${fmt(rc, '×')} | ≤ 1.05× | ${verdict(rc.median <= 1.05)} |`,
  );
  L.push(`| B1 | ferry upload (lexer) / rclone copyto | ${fmt(rr, '×')} | (info) | |`);
  L.push(
    mp
      ? `| B1 | ferry --profile s3-multipart / rclone copyto | ${fmt(mp, '×')} | ≤ 1.0× | ${verdict(mp.median <= 1.0)} |`
      : `| B1 | ferry --profile s3-multipart / rclone | ${B1.multipartNote ?? 'not available yet'} | ≤ 1.0× | not measured |`,
  );
  L.push(
    `| B2 | ferry watch --once / floor client (POST + PUT, keep-alive, ${FLOOR_CONCURRENCY} at a time), ${SMALL_COUNT} × 10 KiB | ${fmt(b2f, '×')} | ≤ 1.3× | ${verdict(b2f.median <= 1.3)} |`,
  );
  L.push(
    `| B2 | ferry watch --once peak RSS, ${SMALL_COUNT} files | ${fmt(b2Rss, ' MiB')} | < 100 MB | ${verdict(b2Rss.max * 1.048576 < 100)} |`,
  );
  const scale = B2.scale;
  if (scale !== undefined) {
    const perFile = (seconds, count) => stats(seconds.map((x) => (x / count) * 1000));
    const small = perFile(B2.rows.ferry, SMALL_COUNT);
    const large = perFile(scale.ferry, SCALE_COUNT);
    const scaleRss = MiB(scale.ferryRss);
    L.push(
      `| B2 | ferry watch --once / floor client, ${SCALE_COUNT} × 10 KiB | ${fmt(s(scale.ratio), '×')} | ≤ 1.3× | ${verdict(s(scale.ratio).median <= 1.3)} |`,
      `| B2 | ferry time per file, ${SCALE_COUNT} files / ${SMALL_COUNT} files (linear: 1.0) | ${f2(large.median / small.median)}× (${fmt(large, ' ms')} vs ${fmt(small, ' ms')}) | ≤ 1.1× | ${verdict(large.median / small.median <= 1.1)} |`,
      `| B2 | ferry watch --once peak RSS, ${SCALE_COUNT} files | ${fmt(scaleRss, ' MiB')} | < 100 MB | ${verdict(scaleRss.max * 1.048576 < 100)} |`,
    );
  }
  L.push(
    `| B2 | ferry watch --once / curl two-step loop, ${SMALL_COUNT} × 10 KiB | ${fmt(b2c, '×')} | ≤ 0.3× | ${verdict(b2c.median <= 0.3)} |`,
  );
  L.push(
    `| B2 | ferry watch --once / rclone copy | ${fmt(b2r, '×')} | ≤ 1.0× | ${verdict(b2r.median <= 1.0)} |`,
  );
  L.push(
    `| B3 | ferry upload peak RSS during B1 | ${fmt(ferryRss, ' MiB')} | < 100 MB | ${verdict(ferryRss.max * 1.048576 < 100)} |`,
  );
  L.push(
    `| B4 | file close → first byte (uploading event), settle 2 s | ${fmt(lat, ' s')} | ≤ 2.5 s | ${verdict(lat.max <= 2.5)} |`,
  );
  L.push(
    `| B5 | idle CPU, ${IDLE_COUNT} delivered files, ${IDLE_SECONDS} s | ${f2(B5.cpuPct)} % | < 1 % | ${verdict(B5.cpuPct < 1)} |`,
  );
  L.push(
    `| B5 | start → ready (first event for a probe file) | ${fmt(ready, ' s')} | < 2 s | ${verdict(ready.max < 2)} |`,
  );
  L.push(
    `| B6 | journal append at ${B6.small.jobs} jobs / at ${B6.large.jobs} jobs | ${f2(B6.large.usPerAppend / B6.small.usPerAppend)}× (${f2(B6.small.usPerAppend)} µs vs ${f2(B6.large.usPerAppend)} µs) | flat (≈ 1×) | ${verdict(B6.large.usPerAppend / B6.small.usPerAppend < 1.5)} |`,
  );
  L.push(
    `| B6 | journal replay, ${B6.large.jobs} jobs (${B6.replay.entries} lines) | ${f2(B6.replay.ms)} ms | (info) | |`,
  );
  L.push(
    `| I10 | check --content throughput, ${(B1.size / 2 ** 30).toFixed(2)} GiB CSV, warm cache | ${fmt(chk, ' MB/s')} | ≥ 200 MB/s | ${verdict(chk.median >= 200)} |`,
  );
  L.push(
    `| I10 | check --content peak RSS | ${fmt(chkRss, ' MiB')} | < 100 MB | ${verdict(chkRss.max * 1.048576 < 100)} |`,
  );
  L.push(
    `| I10 | check + convert to NDJSON + deliver (watch --once) peak RSS | ${fmt(convRss, ' MiB')} | < 100 MB | ${verdict(convRss.max * 1.048576 < 100)} |`,
  );
  L.push(
    `| B7 | achieved rate under --limit-rate ${CAP_MIB}M, 64 MiB | ${fmt(capped, ' MiB/s')} | within 10 % of ${CAP_MIB} | ${verdict(capped.min >= CAP_MIB * 0.9 && capped.max <= CAP_MIB * 1.1)} |`,
  );
  L.push('');
  L.push('### Raw times (seconds, median (min–max))', '');
  L.push(
    '| run | ferry | ferry s3-multipart | floor client | curl | rclone | aws |',
    '|---|---|---|---|---|---|---|',
  );
  const cell = (xs) => (xs.length ? fmt(s(xs)) : 'n/a');
  L.push(
    `| B1 one file | ${cell(B1.rows.ferry)} | ${cell(B1.rows.multipart)} | – | ${cell(B1.rows.curl)} | ${cell(B1.rows.rclone)} | ${cell(B1.rows.aws)} |`,
  );
  L.push(
    `| B2 ${SMALL_COUNT} files | ${cell(B2.rows.ferry)} | – | ${cell(B2.rows.floor)} | ${cell(B2.rows.curl)} (loop) | ${cell(B2.rows.rclone)} | ${cell(B2.rows.aws)} |`,
  );
  L.push('');
  L.push(
    'Peak RSS during B1 (MiB, /usr/bin/time -v): ' +
      ['ferry', 'multipart', 'curl', 'rclone', 'aws']
        .map((k) => `${k} ${B1.rss[k].length ? fmt(MiB(B1.rss[k])) : 'n/a'}`)
        .join('; '),
    '',
  );
  L.push('### Method', '');
  L.push(
    `- B1: a fresh sandbox per run; \`ferry upload --profile lexer\` (process start to exit, includes hashing and content check); curl = a POST for a fresh presigned URL timed in the bench plus \`curl -T\`; rclone \`copyto\` and \`aws s3 cp\` go straight to the sandbox's raw S3 store (no signature checks, no vendor API). The file is read once before the runs so all start from the page cache.`,
  );
  L.push(
    `- B2: ${SMALL_COUNT} distinct 10 KiB CSV files; \`ferry watch --once --settle ${SETTLE}\` (the settle window is part of Ferry's time); the floor client is bench/floor-client.mjs (POST + PUT per file on keep-alive sockets, ${FLOOR_CONCURRENCY} at a time, no checks, no journal: the receiver's own limit on this machine), run on the same files and sandbox right after Ferry; the curl loop is bash: \`curl POST | jq -r .url\` then \`curl -T\`, one file at a time; \`rclone copy\` and \`aws s3 sync\` to the raw S3 store.` +
      (B2.scale === undefined
        ? ' The 10,000-file run is BENCH_FULL=1 only (about 6 min a run here).'
        : ` At scale: ${SCALE_COUNT} files, Ferry then the floor client, ${SCALE_RUNS} runs; linearity compares Ferry's median time per file with B2's.`),
  );
  L.push(
    '- B4: a running `ferry watch --json` with the default 2 s settle window; latency = the moment `writeFile` resolved (file closed) to the moment the bench read the `uploading` job event for it (an upper bound on first byte: the PUT starts right after that event).',
  );
  L.push(
    `- B5: ${IDLE_COUNT} small files delivered first, then \`ferry watch\` restarted on the folder; ready = spawn → first job event for a probe file written right after spawn (upper bound: it includes the scan of the folder and a settle-window-free first sighting); CPU = utime+stime from /proc/<pid>/stat over ${IDLE_SECONDS} s, started 3 s after the probe completed. Ready is measured on ${Math.min(RUNS, 3)} restarts.`,
  );
  L.push(
    '- B6: bench/journal-bench.mjs drives the built `JobJournal` (dist/node/journal.js): the mean cost of a non-terminal `save` with 100 jobs in the journal and with 10,000, then a fresh `load()` (replay + compaction) of the 10,000-job journal.',
  );
  L.push(
    '- I10: `ferry check --content` on the B1 file after `cat file > /dev/null`; MB = 10^6 bytes; throughput = size / process wall time. Convert: `ferry watch --once` on a folder holding (a hard link to) the B1 file with `convert: csv-to-ndjson`, against a fresh sandbox: check, convert to a temporary NDJSON file, deliver it; peak RSS of the whole process.',
  );
  L.push(
    `- B7: \`ferry watch --limit-rate ${CAP_MIB}M\` on one 64 MiB file; rate = size / (time of its \`completed\` event − time of its \`uploading\` event), as read by the bench.`,
  );
  L.push('');
  L.push(
    'Phase durations (s): ' +
      Object.entries(phase)
        .map(([k, v]) => `${k} ${v.toFixed(0)}`)
        .join(', '),
    '',
  );
  return L.join('\n') + '\n';
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
