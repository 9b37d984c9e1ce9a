import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverFile, type DeliveryReport, type DeliveryTarget } from '../../src/engine/deliver-file.js';
import { TargetGate } from '../../src/engine/target-gate.js';
import { fileVariables, targetSpec } from '../../src/engine/target-spec.js';
import { nodeDeliveryPorts } from '../../src/node/delivery-ports.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { validateConfig } from '../../src/engine/config/validate-config.js';
import { RecordingLogger } from '../fakes/fake-logger.js';
import { FakeSecrets } from '../fakes/fake-secrets.js';

const FOLDER = { rule: '{descriptor}-{date}-{version}.{ext}', fields: { dataset_id: 'ds-1' } };
const TOKEN = 'offline-test-token-0123';
const FILES = 8;

let dir = '';
let dataDir = '';
let sandbox: RunningSandbox | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-offline-'));
  dataDir = await mkdtemp(join(tmpdir(), 'ferry-offline-data-'));
});

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
  await rm(dir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function lexerTarget(endpoint: string, gate: TargetGate): DeliveryTarget {
  const config = validateConfig({
    targets: { lexer: { profile: 'lexer', endpoint: `${endpoint}/v1/uploads`, retry: { stallSeconds: 5 } } },
    folders: [{ path: dir, target: 'lexer', fields: FOLDER.fields }],
  });
  const target = config.targets.lexer;
  if (target === undefined) throw new Error('no target');
  return {
    ...targetSpec('lexer', target, FOLDER),
    // A budget an outage of seconds would exhaust many times over, were it spent on one.
    retry: { baseDelayMs: 10, maxDelayMs: 50, maxAttempts: 3, maxElapsedMs: 1_000 },
    gate,
  };
}

describe('offline: the vendor cut off mid-queue', () => {
  it('waits without failing any job and delivers every file once the vendor is back', async () => {
    sandbox = await startSandbox({ port: 0, dataDir, token: TOKEN, log: () => undefined });
    const port = Number(new URL(sandbox.endpoint).port);
    const expected = new Map<string, string>();
    const paths: string[] = [];
    for (let i = 0; i < FILES; i += 1) {
      const name = `orders${i}-2024-06-12-v1.csv`;
      const bytes = randomBytes(256 * 1024 + i);
      await writeFile(join(dir, name), bytes);
      expected.set(name, sha256(bytes));
      paths.push(name);
    }
    const gate = new TargetGate();
    const offlineChanges: boolean[] = [];
    gate.reachability.onChange((offline) => offlineChanges.push(offline));
    const target = lexerTarget(sandbox.endpoint, gate);
    const ports = nodeDeliveryPorts({
      logger: new RecordingLogger(),
      secrets: new FakeSecrets({ lexer: TOKEN }),
    });

    const reports: DeliveryReport[] = [];
    let delivered = 0;
    const queue = [...paths];
    const worker = async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        const report = await deliverFile(ports, target, {
          path: join(dir, name),
          variables: fileVariables(name, FOLDER),
        });
        reports.push(report);
        if (report.state.status === 'completed') delivered += 1;
      }
    };
    const workers = Promise.all([worker(), worker()]);

    while (delivered < 2) await sleep(10);
    await sandbox.close();
    sandbox = undefined;
    // Long enough for every job to have run through its whole budget many times.
    await sleep(2_500);
    expect(gate.reachability.offline).toBe(true);
    sandbox = await startSandbox({ port, dataDir, token: TOKEN, log: () => undefined });
    const back = Date.now();
    await workers;

    expect(reports.map((r) => r.state.status)).toEqual(Array.from({ length: FILES }, () => 'completed'));
    expect(reports.flatMap((r) => r.history).some((h) => h.state.status === 'failed')).toBe(false);
    // Jobs waited in retry-wait with the network error, not in failed.
    const waits = reports.flatMap((r) => r.history.filter((h) => h.state.status === 'retry-wait'));
    expect(waits.length).toBeGreaterThan(0);
    expect(offlineChanges).toEqual([true, false]);
    // "Promptly": the probe backs off to at most a few seconds this early in an outage.
    expect(Date.now() - back).toBeLessThan(10_000);
    const counts = new Map<string, number>();
    for (const d of await sandbox.deliveries()) {
      expect(d.sha256).toBe(expected.get(d.filename));
      counts.set(d.filename, (counts.get(d.filename) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([...expected.keys()].sort());
  }, 30_000);
});
