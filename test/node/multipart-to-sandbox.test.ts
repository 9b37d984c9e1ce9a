import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliverFile } from '../../src/engine/deliver-file.js';
import type { MultipartCheckpoint } from '../../src/engine/ports.js';
import { TargetGate } from '../../src/engine/target-gate.js';
import { fileVariables, targetSpec } from '../../src/engine/target-spec.js';
import { nodeDeliveryPorts } from '../../src/node/delivery-ports.js';
import { CHECKPOINT_FOLDER, fileCheckpoints } from '../../src/node/file-checkpoints.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { RecordingLogger } from '../fakes/fake-logger.js';
import { FakeSecrets } from '../fakes/fake-secrets.js';
import { ferry, sha256 } from '../support/ferry-cli.js';

const MIB = 1024 * 1024;
const NAME = 'events-2024-01-31-v1.csv';
const FOLDER = { rule: '{descriptor}-{date}-{version}.{ext}', fields: {} };

let dir = '';
let sandbox: RunningSandbox | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-multipart-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function checkpointOf(stateDir: string): Promise<MultipartCheckpoint | undefined> {
  const folder = join(stateDir, CHECKPOINT_FOLDER);
  const names = await readdir(folder).catch(() => []);
  const name = names.find((n) => n.endsWith('.json'));
  if (name === undefined) return undefined;
  try {
    return JSON.parse(await readFile(join(folder, name), 'utf8')) as MultipartCheckpoint;
  } catch {
    // Caught between write and rename: look again.
    return undefined;
  }
}

/** The part numbers a run started to PUT, in order, from its debug log. */
function partsSent(log: string): number[] {
  return log
    .split('\n')
    .filter((line) => line.includes('"msg":"sending a part"'))
    .map((line) => (JSON.parse(line) as { part: number }).part);
}

describe('s3-multipart against the sandbox', () => {
  it('delivers a 21 MiB file byte-exact through 5 MiB parts', async () => {
    sandbox = await startSandbox({ port: 0, log: () => undefined });
    const path = join(dir, NAME);
    const content = randomBytes(21 * MIB + 123);
    await writeFile(path, content);
    const stateDir = join(dir, 'state-roundtrip');
    const spec = targetSpec(
      'mp',
      {
        profile: 's3-multipart',
        endpoint: `${sandbox.endpoint}/v1/multipart`,
        auth: { style: 'auth-api-token' },
      },
      FOLDER,
    );
    const report = await deliverFile(
      nodeDeliveryPorts({
        logger: new RecordingLogger(),
        secrets: new FakeSecrets({ mp: sandbox.token }),
        checkpoints: fileCheckpoints(stateDir),
      }),
      { ...spec, gate: new TargetGate() },
      { path, variables: fileVariables(NAME, FOLDER) },
    );
    expect(report.state.status).toBe('completed');
    const [delivery] = await sandbox.deliveries();
    expect(delivery).toMatchObject({ api: 'multipart', size: content.length, sha256: sha256(content) });
    // Completed: nothing is left to resume.
    expect(await filesUnder(stateDir)).toEqual([]);
  });

  it('after a SIGKILL mid-file, a rerun re-sends at most the parts that were in flight', async () => {
    // Latency on every request keeps the upload slow enough to be killed part-way.
    sandbox = await startSandbox({ port: 0, latencyMs: 150, log: () => undefined });
    const path = join(dir, `kill-${NAME}`);
    const content = randomBytes(52 * MIB + 99);
    await writeFile(path, content);
    const stateDir = join(dir, 'state-kill');
    const args = [
      'upload',
      path,
      '--endpoint',
      `${sandbox.endpoint}/v1/multipart`,
      '--profile',
      's3-multipart',
      '--state-dir',
      stateDir,
    ];
    const env = { FERRY_TOKEN: sandbox.token, FERRY_LOG_LEVEL: 'debug' };
    const totalParts = Math.ceil(content.length / (5 * MIB));

    const first = ferry(args, env);
    let checkpoint: MultipartCheckpoint | undefined;
    for (let i = 0; i < 600; i += 1) {
      checkpoint = await checkpointOf(stateDir);
      const recorded = checkpoint?.parts.length ?? 0;
      // Killed while PUTs are under way, after some parts were recorded.
      if (recorded >= 2 && partsSent(first.output()).length >= recorded + 2) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    expect(checkpoint?.parts.length).toBeGreaterThanOrEqual(2);
    const uploadId = checkpoint?.uploadId ?? '';

    // What the server holds after the kill; an in-flight PUT cut off mid-body is not a part.
    const listing = await fetch(`${sandbox.endpoint}/v1/multipart/${uploadId}/parts`, {
      headers: { 'auth-api-token': sandbox.token },
    });
    const held = new Set(
      ((await listing.json()) as { parts: { partNumber: number }[] }).parts.map((p) => p.partNumber),
    );
    const startedBefore = new Set(partsSent(first.output()));
    const inFlight = [...startedBefore].filter((n) => !held.has(n));
    expect(held.size).toBeGreaterThanOrEqual(2);
    expect(held.size).toBeLessThan(totalParts);

    const second = ferry(args, env);
    expect(await second.exited).toBe(0);
    const sentAgain = partsSent(second.output());
    const resent = sentAgain.filter((n) => startedBefore.has(n));
    // The rerun sends exactly the parts the server lacked, each once.
    expect([...sentAgain].sort((a, b) => a - b)).toEqual(
      Array.from({ length: totalParts }, (_, i) => i + 1).filter((n) => !held.has(n)),
    );
    expect(resent.every((n) => inFlight.includes(n))).toBe(true);
    expect(resent.length).toBeLessThanOrEqual(4);
    console.info(
      `multipart kill: ${totalParts} parts, ${held.size} held at kill, ${inFlight.length} in flight, ${resent.length} re-sent`,
    );

    const deliveries = await sandbox.deliveries();
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ size: content.length, sha256: sha256(content) });
    // The checkpoint is gone, and the token never reached the log or the state dir.
    expect(await filesUnder(stateDir)).toEqual([]);
    expect(first.output() + second.output()).not.toContain(sandbox.token);
  }, 60_000);
});
