import { mkdtemp, mkdir, rm, stat, writeFile, unlink, open, truncate } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { allFiles, csv, fileContains, runFerry, sha256File, sleep, type JobEvent } from './support.js';

const summary = {
  files: 0,
  delivered: 0,
  kills: 0,
  faultsInjected: 0,
  bytesResentUpperBound: 0,
  duplicates: 0,
  lost: 0,
};
const tokens = new Set<string>();
let work = '';
const started = Date.now();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ferry-faults-'));
});

afterAll(async () => {
  process.stdout.write(
    `\nfaults summary: ${JSON.stringify({ ...summary, seconds: Math.round((Date.now() - started) / 1000) })}\n`,
  );
  if (work !== '') await rm(work, { recursive: true, force: true });
});

/** `ferry watch` of `what` (a folder and its target, or `--config <file>`); its token is looked for on disk (F6). */
function watchOf(what: string[], sb: RunningSandbox, state: string, extra: string[] = []): string[] {
  tokens.add(sb.token);
  return ['watch', ...what, '--state-dir', state, '--json', '--settle', '0.3', ...extra];
}

function watchArgs(dir: string, sb: RunningSandbox, state: string, extra: string[] = []): string[] {
  return watchOf([dir, '--endpoint', `${sb.endpoint}/v1/uploads`, '--profile', 'lexer'], sb, state, extra);
}

/** Checks every expected file arrived exactly once with equal bytes; counts duplicates and losses. */
async function expectExactlyOnce(sb: RunningSandbox, files: Map<string, string>): Promise<void> {
  const deliveries = await sb.deliveries();
  const byName = new Map<string, string[]>();
  for (const d of deliveries) byName.set(d.filename, [...(byName.get(d.filename) ?? []), d.sha256]);
  const problems: string[] = [];
  for (const [name, sha] of files) {
    const got = byName.get(name) ?? [];
    if (got.length === 0) {
      summary.lost += 1;
      problems.push(`${name}: lost`);
    } else if (got.length > 1) {
      summary.duplicates += got.length - 1;
      problems.push(`${name}: delivered ${got.length} times`);
    } else if (got[0] !== sha) problems.push(`${name}: sha256 differs`);
    else summary.delivered += 1;
  }
  summary.files += files.size;
  expect(problems).toEqual([]);
}

describe('F1: SIGKILL the agent at 20 random points', () => {
  it('delivers every file exactly once, sha256-equal, after 20 kills and a restart', async () => {
    // Slow answers stretch each delivery so kills land inside uploads too, not only between them.
    const sb = await startSandbox({ port: 0, latencyMs: 250, log: () => undefined });
    try {
      // One agent, two folders: single presigned PUTs, and S3 multipart (checkpointed parts).
      const dir = join(work, 'f1');
      const multipartDir = join(work, 'f1-multipart');
      const state = join(work, 'f1-state');
      await mkdir(dir);
      await mkdir(multipartDir);
      const config = join(work, 'f1.json');
      const auth = { style: 'auth-api-token' };
      await writeFile(
        config,
        JSON.stringify({
          targets: {
            single: { profile: 'lexer', endpoint: `${sb.endpoint}/v1/uploads`, auth },
            parts: { profile: 's3-multipart', endpoint: `${sb.endpoint}/v1/multipart`, auth },
          },
          folders: [
            { path: dir, target: 'single' },
            { path: multipartDir, target: 'parts' },
          ],
        }),
      );
      const args = (extra: string[]) => watchOf(['--config', config], sb, state, extra);
      const files = new Map<string, string>();
      const sizes = new Map<string, number>();
      for (let i = 0; i < 20; i += 1) {
        const name = `kill${String(i).padStart(2, '0')}-2024-01-31-v1.csv`;
        // Every fourth file is ≥ 5 MiB so kills land inside uploads, not only between them;
        // three of those go as multipart uploads of 5 MiB parts.
        const big = i % 4 === 0;
        const path = join(big && i > 4 ? multipartDir : dir, name);
        await writeFile(path, csv(big ? 660_000 : 200, `f1-${i}`));
        files.set(name, await sha256File(path));
        sizes.set(name, (await stat(path)).size);
      }
      let kills = 0;
      let inFlightBytes = 0;
      let midUpload = 0;
      while (kills < 20) {
        // A rate cap stretches the run over all 20 kills: unthrottled, it is over by the third.
        const agent = runFerry(args(['--limit-rate', '4M']), { FERRY_TOKEN: sb.token });
        await sleep(500 + Math.random() * 2500);
        const uploading = new Map<string, number>();
        for (const event of agent.events) {
          if (event.event !== 'job' || event.file === undefined) continue;
          const name = event.file.split('/').pop() ?? '';
          if (event.status === 'uploading') uploading.set(name, sizes.get(name) ?? 0);
          else uploading.delete(name);
        }
        await agent.kill('SIGKILL');
        kills += 1;
        for (const size of uploading.values()) inFlightBytes += size;
        if (uploading.size > 0) midUpload += 1;
      }
      summary.kills += kills;
      summary.bytesResentUpperBound += inFlightBytes;
      process.stdout.write(
        `F1: ${kills} kills (${midUpload} during an upload), at most ${inFlightBytes} bytes in flight at the kills (${Math.round(inFlightBytes / kills)} per kill) re-sent\n`,
      );
      const last = runFerry(args(['--once']), { FERRY_TOKEN: sb.token });
      const code = await last.exited;
      expect(code, last.stderr()).toBe(0);
      await expectExactlyOnce(sb, files);
      expect((await sb.deliveries()).filter((d) => d.api === 'multipart')).toHaveLength(3);
      expect(midUpload, 'no kill landed during an upload').toBeGreaterThan(0);
    } finally {
      await sb.close();
    }
  });
});

describe('F2: 30 % failures, 429s and stalls', () => {
  it('delivers 200 files, none lost, none duplicated', async () => {
    const sb = await startSandbox({
      port: 0,
      failRate: 0.3,
      rateLimitPerSecond: 40,
      stallRate: 0.03,
      log: () => undefined,
    });
    try {
      const dir = join(work, 'f2');
      const state = join(work, 'f2-state');
      await mkdir(dir);
      const files = new Map<string, string>();
      for (let i = 0; i < 200; i += 1) {
        const name = `fault${String(i).padStart(3, '0')}-2024-01-31-v1.csv`;
        await writeFile(join(dir, name), csv(20, `f2-${i}`));
        files.set(name, await sha256File(join(dir, name)));
      }
      // A config file so the stall timeout (60 s by default) fits a test: the stalls are the point.
      const config = join(work, 'f2.json');
      await writeFile(
        config,
        JSON.stringify({
          targets: {
            sb: {
              profile: 'lexer',
              endpoint: `${sb.endpoint}/v1/uploads`,
              retry: { attempts: 30, stallSeconds: 3 },
            },
          },
          folders: [{ path: dir, target: 'sb' }],
        }),
      );
      tokens.add(sb.token);
      const agent = runFerry(
        ['watch', '--config', config, '--state-dir', state, '--json', '--settle', '0.3', '--once'],
        {
          FERRY_TOKEN: sb.token,
        },
      );
      const code = await agent.exited;
      const retries = agent.events.filter((e) => e.status === 'retry-wait').length;
      summary.faultsInjected += retries;
      process.stdout.write(`F2: ${retries} retry-waits seen for 200 files\n`);
      expect(code, agent.stderr().slice(-2000)).toBe(0);
      expect(retries).toBeGreaterThan(0);
      await expectExactlyOnce(sb, files);
    } finally {
      await sb.close();
    }
  });
});

describe('F3: presigned URLs that expire in 2 s, slow answers', () => {
  it('delivers every file', async () => {
    // X-Amz-Date counts whole seconds, so a 2 s URL lives 1–2 s; with 1.2 s of latency before the
    // PUT is checked, some attempts find it expired and must fetch a fresh one, and most do not.
    const sb = await startSandbox({ port: 0, urlTtlSeconds: 2, latencyMs: 1200, log: () => undefined });
    try {
      const dir = join(work, 'f3');
      const state = join(work, 'f3-state');
      await mkdir(dir);
      const files = new Map<string, string>();
      for (let i = 0; i < 8; i += 1) {
        const name = `ttl${i}-2024-01-31-v1.csv`;
        await writeFile(join(dir, name), csv(i % 2 === 0 ? 100_000 : 50, `f3-${i}`));
        files.set(name, await sha256File(join(dir, name)));
      }
      const agent = runFerry(watchArgs(dir, sb, state, ['--once']), { FERRY_TOKEN: sb.token });
      const code = await agent.exited;
      const ends = agent.events.filter((e) => e.status === 'failed' || e.status === 'rejected');
      expect(code, JSON.stringify(ends.map((e) => e.state))).toBe(0);
      await expectExactlyOnce(sb, files);
    } finally {
      await sb.close();
    }
  });
});

describe('F4: bad names, empty, too large, vanishing, changing and unreadable files', () => {
  it('ends each file in the right state with a reason and keeps running', async () => {
    const sb = await startSandbox({ port: 0, log: () => undefined });
    const dir = join(work, 'f4');
    const state = join(work, 'f4-state');
    await mkdir(dir);
    const agent = runFerry(watchArgs(dir, sb, state), { FERRY_TOKEN: sb.token });
    try {
      const bad: string[] = [];
      for (let i = 0; i < 50; i += 1) {
        const name =
          [
            `Bad Name ${i} 2024-01-31 v1.csv`,
            `bad${i}-2024-02-30-v1.csv`,
            `bad${i}-2024-01-31-v1.txt`,
            `bad${i}.csv`,
            `-bad${i}-2024-01-31-v1.csv`,
          ].at(i % 5) ?? `bad${i}.csv`;
        bad.push(name);
        await writeFile(join(dir, name), 'id\n1\n');
      }
      await writeFile(join(dir, 'empty-2024-01-31-v1.csv'), '');
      const sparse = join(dir, 'huge-2024-01-31-v1.csv');
      await writeFile(sparse, '');
      // S3 caps a single PUT at 5 GiB, which is what the vendors' "5GB" means.
      await truncate(sparse, 5 * 1024 ** 3 + 1);
      execFileSync('mkfifo', [join(dir, 'fifo-2024-01-31-v1.csv')]);
      const vanishing = join(dir, 'vanish-2024-01-31-v1.csv');
      const changing = join(dir, 'change-2024-01-31-v1.csv');
      await writeFile(vanishing, csv(2_500_000, 'vanish'));
      const vanishingSha = await sha256File(vanishing);
      await writeFile(changing, csv(2_500_000, 'change'));
      const isJob = (file: string, statuses: string[]) => (e: JobEvent) =>
        e.event === 'job' && e.file === file && statuses.includes(e.status ?? '');
      await Promise.all([
        agent.waitFor(isJob(vanishing, ['uploading']), 60_000).then(() => unlink(vanishing)),
        agent.waitFor(isJob(changing, ['uploading']), 60_000).then(async () => {
          const handle = await open(changing, 'a');
          await handle.write('99999999,changed,1\n');
          await handle.close();
        }),
      ]);
      const terminal = ['completed', 'failed', 'rejected'];
      const finalOf = async (file: string): Promise<JobEvent> =>
        agent.waitFor(isJob(file, terminal), 120_000);
      for (const name of bad) {
        const final = await finalOf(join(dir, name));
        expect(final.status, name).toBe('rejected');
        expect(final.state?.reason ?? '', name).not.toBe('');
      }
      const empty = await finalOf(join(dir, 'empty-2024-01-31-v1.csv'));
      const fifo = await finalOf(join(dir, 'fifo-2024-01-31-v1.csv'));
      const gone = await finalOf(vanishing);
      const changed = await agent.waitFor(isJob(changing, ['completed']), 120_000);
      // Over the 5 GiB single-PUT limit: refused on its size, without reading 5 GB first.
      const huge = await agent.waitFor(isJob(sparse, terminal), 30_000);
      const reasons = { empty, huge, fifo, gone, changed };
      process.stdout.write(
        `F4 states: ${JSON.stringify(Object.fromEntries(Object.entries(reasons).map(([k, e]) => [k, [e.status, e.state?.reason ?? e.state?.error]])))}\n`,
      );
      expect(empty.status).toBe('rejected');
      expect(huge.status).toBe('rejected');
      expect(['rejected', 'failed']).toContain(fifo.status);
      // Unlinking a file does not stop a read already under way: when the upload had opened it,
      // the vendor gets it whole, as written (and the job says delivered); never a part of it.
      expect(['rejected', 'failed', 'completed']).toContain(gone.status);
      for (const e of [empty, huge, fifo]) expect(JSON.stringify(e.state)).toMatch(/reason|error/);
      if (gone.status !== 'completed') expect(JSON.stringify(gone.state)).toMatch(/reason|error/);
      // The agent keeps running: a good file dropped now is delivered.
      const late = join(dir, 'late-2024-01-31-v1.csv');
      await writeFile(late, csv(5, 'late'));
      await agent.waitFor(isJob(late, ['completed']), 60_000);
      const deliveries = await sb.deliveries();
      const names = deliveries.map((d) => d.filename);
      for (const name of [
        ...bad,
        'empty-2024-01-31-v1.csv',
        'huge-2024-01-31-v1.csv',
        'fifo-2024-01-31-v1.csv',
      ])
        expect(names, name).not.toContain(name);
      // A vanished file arrives whole and once, or not at all.
      const vanished = deliveries.filter((d) => d.filename === 'vanish-2024-01-31-v1.csv');
      expect(vanished.map((d) => d.sha256)).toEqual(gone.status === 'completed' ? [vanishingSha] : []);
      // The last delivery of the rewritten file is its final content.
      const finalSha = await sha256File(changing);
      const changeDeliveries = deliveries.filter((d) => d.filename === 'change-2024-01-31-v1.csv');
      expect(changeDeliveries.at(-1)?.sha256).toBe(finalSha);
      summary.files += 50 + 6;
      summary.faultsInjected += 50 + 6;
    } finally {
      await agent.kill();
      await sb.close();
    }
  });
});

describe('F5: the vendor answers 401 or HTML 502 pages', () => {
  it('stops the target on 401, says so once, and sends nothing more', async () => {
    const sb = await startSandbox({ port: 0, log: () => undefined });
    const dir = join(work, 'f5');
    const state = join(work, 'f5-state');
    await mkdir(dir);
    let posts = 0;
    const server = createServer((req, res) => {
      posts += 1;
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid token"}');
    });
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as { port: number }).port;
    for (let i = 0; i < 5; i += 1)
      await writeFile(join(dir, `auth${i}-2024-01-31-v1.csv`), csv(5, `f5-${i}`));
    const token = 'f5-token-0123456789abcdef';
    tokens.add(token);
    const agent = runFerry(
      [
        'watch',
        dir,
        '--endpoint',
        `http://127.0.0.1:${port}/v1/uploads`,
        '--profile',
        'lexer',
        '--state-dir',
        state,
      ],
      { FERRY_TOKEN: token },
    );
    try {
      await sleep(4000);
      const afterStop = posts;
      // Shortened from the 60 s: 15 s of silence after the stop.
      await sleep(15_000);
      const text = agent.stdout() + agent.stderr();
      process.stdout.write(`F5 401: ${posts} requests; output:\n${text}\n`);
      expect(afterStop).toBeGreaterThan(0);
      expect(afterStop).toBeLessThanOrEqual(4);
      expect(posts).toBe(afterStop);
      const mentions = text.split('\n').filter((l) => /401|token|unauthori[sz]ed|stopped/i.test(l));
      expect(mentions.length).toBe(1);
      expect(agent.child.exitCode).toBeNull();
    } finally {
      await agent.kill();
      server.close();
      await sb.close();
    }
  });

  it('retries HTML 502 pages, then fails with a readable reason', async () => {
    const dir = join(work, 'f5b');
    const state = join(work, 'f5b-state');
    await mkdir(dir);
    let posts = 0;
    const server: Server = createServer((req, res) => {
      posts += 1;
      req.resume();
      res
        .writeHead(502, { 'content-type': 'text/html' })
        .end(
          '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>',
        );
    });
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as { port: number }).port;
    await writeFile(join(dir, 'gateway-2024-01-31-v1.csv'), csv(5, 'f5b'));
    const config = join(work, 'f5b.json');
    await writeFile(
      config,
      JSON.stringify({
        targets: {
          gw: { profile: 'lexer', endpoint: `http://127.0.0.1:${port}/v1/uploads`, retry: { attempts: 3 } },
        },
        folders: [{ path: dir, target: 'gw' }],
      }),
    );
    const token = 'f5b-token-0123456789abcdef';
    tokens.add(token);
    const agent = runFerry(
      ['watch', '--config', config, '--state-dir', state, '--json', '--settle', '0.3', '--once'],
      {
        FERRY_TOKEN: token,
      },
    );
    try {
      const final = await agent.waitFor((e) => e.event === 'job' && e.status === 'failed', 180_000);
      const reason = JSON.stringify(final.state);
      process.stdout.write(`F5 502: ${posts} requests; final ${reason}\n`);
      expect(posts).toBeGreaterThan(1);
      expect(reason).toMatch(/502/);
      expect(reason).not.toMatch(/<html|<center|<hr/i);
    } finally {
      await agent.kill();
      server.close();
    }
  });
});

describe('F6: no token on disk', () => {
  it('finds no token in any state, config or log file', async () => {
    const hits: string[] = [];
    const files = await allFiles(work);
    for (const file of files) {
      for (const token of tokens) if (await fileContains(file, token)) hits.push(`${file} holds a token`);
    }
    process.stdout.write(`F6: ${files.length} files searched for ${tokens.size} tokens\n`);
    expect(tokens.size).toBeGreaterThan(0);
    expect(files.some((f) => f.endsWith('jobs.journal'))).toBe(true);
    expect(hits).toEqual([]);
  });
});
