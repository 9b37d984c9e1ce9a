import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverFile, type DeliveryTarget } from '../../src/engine/deliver-file.js';
import { TargetGate } from '../../src/engine/target-gate.js';
import { fileVariables, targetSpec } from '../../src/engine/target-spec.js';
import { nodeDeliveryPorts } from '../../src/node/delivery-ports.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { validateConfig } from '../../src/engine/config/validate-config.js';
import { RecordingLogger } from '../fakes/fake-logger.js';
import { FakeSecrets } from '../fakes/fake-secrets.js';

const FOLDER = { rule: '{descriptor}-{date}-{version}.{ext}', fields: { dataset_id: 'ds-1' } };
const CAP = 1024 * 1024;

let dir = '';
let sandbox: RunningSandbox;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-rate-'));
  sandbox = await startSandbox({ port: 0, log: () => undefined });
});

afterEach(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

function target(): DeliveryTarget {
  const config = validateConfig({
    targets: { lexer: { profile: 'lexer', endpoint: `${sandbox.endpoint}/v1/uploads` } },
    folders: [{ path: dir, target: 'lexer', fields: FOLDER.fields }],
  });
  const lexer = config.targets.lexer;
  if (lexer === undefined) throw new Error('no target');
  return { ...targetSpec('lexer', lexer, FOLDER), gate: new TargetGate() };
}

describe('the upload rate cap', () => {
  it('holds three concurrent uploads together within 10 % of the cap', async () => {
    const names = ['a1-2024-06-12-v1.csv', 'a2-2024-06-12-v1.csv', 'a3-2024-06-12-v1.csv'];
    const size = 1.5 * CAP;
    for (const name of names) await writeFile(join(dir, name), randomBytes(size));
    const ports = nodeDeliveryPorts({
      logger: new RecordingLogger(),
      secrets: new FakeSecrets({ lexer: sandbox.token }),
      limitRate: CAP,
    });
    const spec = target();
    const started = performance.now();
    const reports = await Promise.all(
      names.map((name) =>
        deliverFile(ports, spec, { path: join(dir, name), variables: fileVariables(name, FOLDER) }),
      ),
    );
    const seconds = (performance.now() - started) / 1_000;
    expect(reports.map((r) => r.state.status)).toEqual(['completed', 'completed', 'completed']);
    const achieved = (names.length * size) / seconds;
    // Each upload alone would run at the cap: together they must share it, not triple it.
    expect(achieved).toBeGreaterThan(CAP * 0.9);
    expect(achieved).toBeLessThan(CAP * 1.1);
    expect((await sandbox.deliveries()).length).toBe(3);
  }, 20_000);
});
