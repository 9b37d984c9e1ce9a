import { execFileSync, spawn } from 'node:child_process';
import { appendFile, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { arrivals, dropFiles, ferry, sha256, watch, watchOnce } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * `ferry watch` as a user runs it: the real binary in a child process, a real
 * folder, a real sandbox over s3rver. Only the settle window is shortened.
 */
let sandbox: RunningSandbox;
const tempDir = useTempDir('watch');

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

const run = (folder: string, stateDir: string, ...extra: string[]) => watch(sandbox, folder, stateDir, extra);
const once = (folder: string, stateDir: string, ...extra: string[]) =>
  watchOnce(sandbox, folder, stateDir, extra);
const arrived = (expected: Map<string, string>) => arrivals(sandbox, expected);

describe('ferry watch', () => {
  it('delivers good files once, rejects bad names without a request, and exits 1 for the rejection', async () => {
    const folder = await tempDir();
    const stateDir = await tempDir();
    const expected = await dropFiles(folder, 'good', 3, 100);
    await writeFile(join(folder, 'Bad Name 2024.csv'), 'id\n1\n');
    await writeFile(join(folder, '.hidden.csv'), 'id\n1\n');
    const before = (await sandbox.deliveries()).length;

    const { code, output } = await once(folder, stateDir);

    expect(code).toBe(1);
    expect(output).toMatch(/✗ rejected {3}Bad Name 2024\.csv: bad-character/);
    const { counts, wrongBytes } = await arrived(expected);
    expect([...counts.values()]).toEqual([1, 1, 1]);
    expect(wrongBytes).toBe(0);
    // Three deliveries and nothing else: the bad and the hidden name never reached the sandbox.
    expect((await sandbox.deliveries()).length - before).toBe(3);
  });

  it('delivers nothing again on a restart after completion, and exits 0', async () => {
    const folder = await tempDir();
    const stateDir = await tempDir();
    const expected = await dropFiles(folder, 'again', 2, 100);
    // Fields Lexer loads NDJSON with: a folder without them is warned about at every start.
    const fields = ['--field', 'dataset_id=ds-1', '--field', 'record_type=customer_record'];
    expect((await once(folder, stateDir, ...fields)).code).toBe(0);
    const second = await once(folder, stateDir, ...fields);
    expect(second.code).toBe(0);
    expect(second.output).toBe('2 files: 0 delivered, 2 delivered before, 0 rejected, 0 failed\n');
    expect([...(await arrived(expected)).counts.values()]).toEqual([1, 1]);
  });

  it('takes a file written slowly once, after its last write', async () => {
    const folder = await tempDir();
    const stateDir = await tempDir();
    const running = run(folder, stateDir, '--json');
    const path = join(folder, 'slow-2024-06-12-v1.csv');
    await writeFile(path, 'id,n\n');
    for (let i = 0; i < 8; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 120));
      await appendFile(path, `${i},x\n`);
    }
    const final = await readFile(path);
    await expect
      .poll(
        async () =>
          (await arrived(new Map([['slow-2024-06-12-v1.csv', sha256(final)]]))).counts.get(
            'slow-2024-06-12-v1.csv',
          ),
        { timeout: 15_000 },
      )
      .toBe(1);
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    const { wrongBytes } = await arrived(new Map([['slow-2024-06-12-v1.csv', sha256(final)]]));
    expect(wrongBytes).toBe(0);
  });

  it('delivers 1,000 files dropped at once, each exactly once', async () => {
    const folder = await tempDir();
    const stateDir = await tempDir();
    const expected = await dropFiles(folder, 'bulk', 1000, 8);
    const { code } = await once(folder, stateDir, '--concurrency', '8');
    expect(code).toBe(0);
    const { counts, wrongBytes } = await arrived(expected);
    expect(counts.size).toBe(1000);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(wrongBytes).toBe(0);
  }, 120_000);

  it('marks a file it cannot read and carries on with the others', async () => {
    const folder = await tempDir();
    const stateDir = await tempDir();
    const expected = await dropFiles(folder, 'fine', 2, 50);
    // A pipe with a good name: reading it would block forever. (Permissions prove nothing as root.)
    execFileSync('mkfifo', [join(folder, 'pipe-2024-06-12-v1.csv')]);
    const { code, output } = await once(folder, stateDir);
    expect([...(await arrived(expected)).counts.values()]).toEqual([1, 1]);
    expect(code).toBe(1);
    expect(output).toMatch(
      /✗ rejected {3}pipe-2024-06-12-v1\.csv: unreadable \(ENOTREG\): it is not a regular file/,
    );
  });

  it('survives SIGKILL at random points: every file arrives exactly once, byte-exact', async () => {
    const folder = await tempDir();
    const stateDir = await tempDir();
    const expected = await dropFiles(folder, 'killed', 20, 400_000);
    for (let kill = 0; kill < 5; kill += 1) {
      const agent = run(folder, stateDir, '--concurrency', '2');
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 900));
      agent.child.kill('SIGKILL');
      await agent.exited;
    }
    const { code } = await once(folder, stateDir, '--concurrency', '2');
    expect(code).toBe(0);
    const { counts, wrongBytes } = await arrived(expected);
    expect(counts.size).toBe(20);
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(wrongBytes).toBe(0);
  }, 120_000);

  it('holds every file on a rejected token with one message, and sends them once given a good one', async () => {
    const folder = await tempDir();
    const stateDir = await tempDir();
    const expected = await dropFiles(folder, 'held', 6, 100);

    const refused = watchOnce(sandbox, folder, stateDir, ['--concurrency', '2'], 'not-the-token');
    const { code, output } = await refused;

    expect(code).toBe(1);
    expect(output.split('\n').filter((line) => /token/i.test(line))).toEqual([
      expect.stringMatching(/^✗ default: token rejected.*ferry token set --target default/),
    ]);
    expect(output).not.toMatch(/✗ failed/);
    expect((await arrived(expected)).counts.size).toBe(0);

    const given = await once(folder, stateDir);
    expect(given.code).toBe(0);
    const { counts, wrongBytes } = await arrived(expected);
    expect([...counts.values()]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(wrongBytes).toBe(0);
  });

  it('refuses a second agent on the same state dir with a clear message', async () => {
    const folder = await tempDir();
    const stateDir = await tempDir();
    const first = run(folder, stateDir);
    await expect.poll(() => readdir(stateDir), { timeout: 10_000 }).toContain('agent.lock');
    const second = await once(folder, stateDir);
    first.child.kill('SIGTERM');
    await first.exited;
    expect(second.code).toBe(2);
    expect(second.output).toMatch(/another Ferry agent \(pid \d+/);
  });

  it('runs the README demo: the example folder delivered to an embedded sandbox', async () => {
    const stateDir = await tempDir();
    const demo = ferry([
      'watch',
      'examples/outbox',
      '--sandbox',
      '--once',
      '--settle',
      '0.3',
      '--state-dir',
      stateDir,
    ]);
    expect(await demo.exited).toBe(1);
    expect(demo.output()).toMatch(
      /✗ rejected {3}New Customers 2024-06-12\.CSV: bad-character: .*suggestion: New-Customers-2024-06-12-v1\.csv/,
    );
    expect(demo.output()).toMatch(/✗ rejected {3}stock-2024-06-12-v1\.csv: content-csv-columns/);
    expect(demo.output()).toContain('2 file(s) arrived at the sandbox in this run:\n');
    expect(demo.output()).toMatch(/^ {2}customers-2024-06-12-v1\.csv {2}\d+ B/m);
    expect(demo.output()).toMatch(/^ {2}orders-20240612-1\.ndjson {2}\d+ B/m);
    expect(demo.output()).not.toMatch(/Warning/);
  });

  it('exits 2 for usage errors', async () => {
    const folder = await tempDir();
    await mkdir(join(folder, 'x'), { recursive: true });
    const run = spawn(process.execPath, ['bin/ferry.js', 'watch', folder, '--profile', 'lexer'], {
      stdio: 'ignore',
    });
    expect(await new Promise((resolve) => run.on('exit', resolve))).toBe(2);
  });
});

describe('ferry watch with a slow vendor', () => {
  let slow: RunningSandbox;

  beforeAll(async () => {
    slow = await startSandbox({ port: 0, latencyMs: 1500 });
  });

  afterAll(async () => {
    await slow.close();
  });

  it('delivers a file renamed mid-upload once: the new name is recognised as the same bytes', async () => {
    const folder = await tempDir();
    const stateDir = await tempDir();
    const expected = await dropFiles(folder, 'moving', 1, 200_000);
    const [name, hash] = [...expected][0] ?? ['', ''];
    const agent = watch(slow, folder, stateDir, ['--json']);
    await expect.poll(() => agent.output(), { timeout: 15_000 }).toMatch(/"status":"uploading"/);
    await rename(join(folder, name), join(folder, 'renamed-2024-06-12-v1.csv'));
    // Either the upload had read the bytes before the rename (they arrive under the old name and
    // the new name is a duplicate), or it had not (the old job fails, the new name is sent).
    await expect
      .poll(() => agent.output(), { timeout: 20_000 })
      .toMatch(
        /"file":"[^"]*renamed-2024-06-12-v1\.csv","folder":"[^"]*","target":"default","status":"(rejected|completed)"/,
      );
    agent.child.kill('SIGTERM');
    await agent.exited;
    const copies = (await slow.deliveries()).filter((d) => d.sha256 === hash);
    expect(copies).toHaveLength(1);
    if (copies[0]?.filename === name)
      expect(agent.output()).toMatch(/duplicate-content: the same bytes were delivered/);
  }, 60_000);
});
