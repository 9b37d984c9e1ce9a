import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/engine/agent/agent-ports.js';
import type { Clock } from '../../src/engine/ports.js';
import { startAgentRuntime, type AgentRuntime } from '../../src/node/agent-runtime.js';
import { createLogger } from '../../src/node/logger.js';
import { systemClock } from '../../src/node/system-clock.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import type { AgentSummary } from '../../src/shared/agent-summary.js';
import { validateConfig } from '../../src/engine/config/validate-config.js';
import type { JobState } from '../../src/shared/job.js';
import { statusLine, trayState } from '../../src/shared/tray-model.js';
import { sha256 } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * The watch agent as both hosts build it (startAgentRuntime: the folder watcher, node:http, the journal)
 * against a real sandbox. Only the clock the sleep watch reads is a fake, for the wake test.
 */
const tempDir = useTempDir('offline-wake');
let sandbox: RunningSandbox | undefined;
let runtime: AgentRuntime | undefined;
/** The running agent's events, so a wait that times out says where the jobs got stuck. */
let agentEvents: readonly AgentEvent[] = [];

afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  await sandbox?.close();
  sandbox = undefined;
});

/** A well-formed CSV of about `size` bytes, different each time: the folder checks contents. */
function csv(size: number): Buffer {
  const rows = ['id,value'];
  for (let i = 1, length = 9; length < size; i += 1) {
    const row = `${i},${randomBytes(24).toString('hex')}`;
    rows.push(row);
    length += row.length + 1;
  }
  return Buffer.from(`${rows.join('\n')}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(agentEvents.slice(-8))}`);
    await sleep(20);
  }
}

async function startAgent(
  endpoint: string,
  token: string,
  extra: { limitRate?: number; sleepClock?: Clock } = {},
) {
  const folder = await tempDir();
  const events: AgentEvent[] = [];
  agentEvents = events;
  const summaries: AgentSummary[] = [];
  const config = validateConfig({
    // One attempt and no more: a wait that spent the retry budget would fail the job at once.
    targets: { lexer: { profile: 'lexer', endpoint: `${endpoint}/v1/uploads`, retry: { attempts: 1 } } },
    folders: [{ path: folder, target: 'lexer', fields: { dataset_id: 'ds-1' } }],
  });
  runtime = await startAgentRuntime({
    stateDir: await tempDir(),
    config,
    concurrency: 2,
    settle: { windowMs: 200, pollMs: 50 },
    logger: createLogger({ level: 'silent' }),
    secrets: { token: () => Promise.resolve(token) },
    onEvent: (event) => events.push(event),
    ...extra,
  });
  runtime.service.subscribe((name, payload) => {
    if (name === 'summary') summaries.push(payload as AgentSummary);
  });
  const states = (): JobState[] => events.flatMap((e) => (e.type === 'job' ? [e.job.state] : []));
  return { folder, events, summaries, states, runtime };
}

describe('offline: the vendor stopped mid-queue', () => {
  it('says "offline — waiting" in the summary and the tray, fails nothing, and delivers once it is back', async () => {
    const dataDir = await tempDir();
    sandbox = await startSandbox({ port: 0, dataDir, log: () => undefined });
    const { endpoint, token } = sandbox;
    const port = Number(new URL(endpoint).port);
    await sandbox.close();
    sandbox = undefined;

    const agent = await startAgent(endpoint, token);
    const files = new Map<string, string>();
    for (const i of [1, 2, 3]) {
      const bytes = csv(64 * 1024 + i);
      const name = `orders${i}-2024-06-12-v1.csv`;
      await writeFile(join(agent.folder, name), bytes);
      files.set(name, sha256(bytes));
    }

    await until('an offline summary', () => agent.summaries.some((s) => s.offline));
    const offline = agent.runtime.service.summary();
    expect(offline.offline).toBe(true);
    expect(offline.offlineTargets).toEqual(['lexer']);
    expect(offline.counts.failed).toBeUndefined();
    expect(trayState(offline)).toBe('offline');
    expect(statusLine(offline)).toMatch(/^Offline — waiting for lexer \(\d files?\)$/);
    expect(agent.events).toContainEqual({ type: 'reachability', target: 'lexer', offline: true });
    // Long enough to spend a one-attempt budget many times over, were waiting an attempt.
    await sleep(2_500);
    expect(agent.states().some((s) => s.status === 'failed')).toBe(false);

    sandbox = await startSandbox({ port, dataDir, token, log: () => undefined });
    await agent.runtime.agent.idle();

    expect(agent.runtime.agent.jobs().map((j) => j.state.status)).toEqual([
      'completed',
      'completed',
      'completed',
    ]);
    expect(agent.states().some((s) => s.status === 'failed')).toBe(false);
    expect(agent.summaries.at(-1)?.offline).toBe(false);
    expect(agent.runtime.service.summary()).toMatchObject({ offline: false, offlineTargets: [] });
    const arrived = await sandbox.deliveries();
    expect(new Map(arrived.map((d) => [d.filename, d.sha256]))).toEqual(files);
  }, 40_000);
});

describe('sleep and wake in a headless agent', () => {
  it('restarts an upload in flight with a fresh URL when its timer finds the clock jumped, spending no retry', async () => {
    sandbox = await startSandbox({ port: 0, log: () => undefined });
    // The wall clock the sleep watch reads; its timers are real. A suspend moves only the wall clock.
    let asleepMs = 0;
    const sleepClock: Clock = {
      now: () => Date.now() + asleepMs,
      sleep: (ms, signal) => systemClock.sleep(ms, signal),
    };
    // Slow enough that the upload is still going when the sleep watch next looks (every 5 s).
    const agent = await startAgent(sandbox.endpoint, sandbox.token, { limitRate: 256 * 1024, sleepClock });
    const bytes = csv(3 * 1024 * 1024);
    await writeFile(join(agent.folder, 'big-2024-06-12-v1.csv'), bytes);

    await until('the upload to start', () => agent.states().some((s) => s.status === 'uploading'), 10_000);
    asleepMs = 3_600_000;
    await agent.runtime.agent.idle();

    const states = agent.states();
    const [job] = agent.runtime.agent.jobs();
    expect(job?.state.status).toBe('completed');
    expect(states.some((s) => s.status === 'failed')).toBe(false);
    const woke = states.findIndex((s) => s.status === 'retry-wait');
    expect(woke).toBeGreaterThan(states.findIndex((s) => s.status === 'uploading'));
    const wait = states[woke];
    expect(wait?.status === 'retry-wait' ? wait.error.message : '').toMatch(/machine slept 60 min/);
    // A second URL was asked for after the wake: the first one's upload was abandoned.
    expect(states.filter((s) => s.status === 'requesting-url').length).toBe(2);
    const arrived = await sandbox.deliveries();
    expect(arrived.map((d) => d.sha256)).toEqual([sha256(bytes)]);
  }, 60_000);

  it("restarts an upload in flight when the OS reports a resume (the app's powerMonitor)", async () => {
    sandbox = await startSandbox({ port: 0, log: () => undefined });
    const agent = await startAgent(sandbox.endpoint, sandbox.token, { limitRate: 256 * 1024 });
    const bytes = csv(1536 * 1024);
    await writeFile(join(agent.folder, 'resumed-2024-06-12-v1.csv'), bytes);

    await until('the upload to start', () => agent.states().some((s) => s.status === 'uploading'), 10_000);
    // What src/main does on powerMonitor 'suspend' and 'resume'; no clock moves here.
    agent.runtime.sleep.suspended();
    agent.runtime.sleep.resumed();
    await agent.runtime.agent.idle();

    const states = agent.states();
    expect(agent.runtime.agent.jobs().map((j) => j.state.status)).toEqual(['completed']);
    expect(states.some((s) => s.status === 'failed')).toBe(false);
    expect(states.filter((s) => s.status === 'requesting-url').length).toBe(2);
    expect((await sandbox.deliveries()).map((d) => d.sha256)).toEqual([sha256(bytes)]);
  }, 60_000);
});
