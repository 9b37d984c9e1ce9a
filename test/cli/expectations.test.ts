import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { ferry, ferrySync } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * An expected file through the real binary against a sandbox: a folder expects `customers` daily
 * by a time a few seconds ahead (to the second, in a zone given in the config, so the test needs
 * no override of the agent's clock and waits seconds, not a minute), receives nothing, goes late,
 * and clears when the file is dropped.
 */
let sandbox: RunningSandbox;
const tempDir = useTempDir('expect');

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

/** Local date and `HH:MM:SS` of an instant in a zone. */
function zoned(ms: number, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
  };
}

/** A zone (a quarter-hour one first) where the deadline falls on the same local day as now and a minute on. */
function deadlineAhead(seconds: number) {
  const now = Date.now();
  for (const timeZone of ['Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'UTC']) {
    const due = zoned(now + seconds * 1000, timeZone);
    if (zoned(now, timeZone).date === due.date && zoned(now + 120_000, timeZone).date === due.date)
      return { timeZone, ...due, at: now + seconds * 1000 };
  }
  throw new Error('no zone away from midnight');
}

/** Polls until `check` finds what it looks for in the output (no fixed sleep). */
async function until<T>(what: string, check: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = check();
    if (found !== undefined) return found;
    if (Date.now() - started > timeoutMs) throw new Error(`${what} did not come within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const jsonLines = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('expected files through the CLI', () => {
  it('a folder with no file goes late (status exits 1, an expectation event); the file clears it', async () => {
    const folder = await tempDir();
    const stateDir = await tempDir();
    const deadline = deadlineAhead(6);
    const config = join(await tempDir(), 'ferry.json');
    await writeFile(
      config,
      JSON.stringify({
        targets: { lexer: { profile: 'lexer', endpoint: `${sandbox.endpoint}/v1/uploads` } },
        folders: [
          {
            path: folder,
            target: 'lexer',
            expect: [
              { descriptor: 'customers', every: 'day', by: deadline.time, timezone: deadline.timeZone },
            ],
          },
        ],
      }),
    );
    const env = { FERRY_TOKEN: sandbox.token };
    const status = () => {
      const result = ferrySync(['status', '--config', config, '--state-dir', stateDir, '--json'], env);
      return { code: result.code, rows: JSON.parse(result.stdout) as Record<string, unknown>[] };
    };
    const agent = ferry(
      ['watch', '--config', config, '--state-dir', stateDir, '--settle', '0.3', '--json'],
      env,
    );
    try {
      const late = await until('the late event', () =>
        jsonLines(agent.output()).find((e) => e.event === 'expectation' && e.state === 'late'),
      );
      // Not before its deadline: the agent's own clock told it.
      expect(Date.now()).toBeGreaterThanOrEqual(deadline.at - 1000);
      expect(late).toEqual({
        event: 'expectation',
        folder,
        descriptor: 'customers',
        date: deadline.date,
        due: new Date(Math.floor(deadline.at / 1000) * 1000).toISOString(),
        state: 'late',
        cause: 'no-file',
        reason: `no customers file dated ${deadline.date} in ${folder}`,
      });

      const lateStatus = status();
      expect(lateStatus.code).toBe(1);
      expect(lateStatus.rows.at(-1)).toMatchObject({
        descriptor: 'customers',
        date: deadline.date,
        state: 'late',
        cause: 'no-file',
        reason: `no customers file dated ${deadline.date} in ${folder}`,
      });

      const name = `customers-${deadline.date}-v1.csv`;
      await writeFile(join(folder, name), 'id,email\n1,a@example.com\n');
      const cleared = await until('the delivered event', () =>
        jsonLines(agent.output()).find((e) => e.event === 'expectation' && e.state === 'delivered'),
      );
      expect(cleared).toMatchObject({ descriptor: 'customers', date: deadline.date, file: name });
      expect(status()).toMatchObject({ code: 0 });
    } finally {
      agent.child.kill('SIGTERM');
      await agent.exited;
    }
    // With no agent running, the state dir's ledger says the same.
    const stored = status();
    expect(stored.code).toBe(0);
    expect(stored.rows.at(-1)).toMatchObject({
      state: 'delivered',
      file: `customers-${deadline.date}-v1.csv`,
    });
    const text = ferrySync(['status', '--config', config, '--state-dir', stateDir], env);
    expect(text.stdout).toContain(`✓ customers  ${deadline.date}  delivered`);
  });
});
