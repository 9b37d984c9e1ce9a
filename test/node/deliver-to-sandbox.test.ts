import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliverFile, type DeliveryPorts, type DeliveryTarget } from '../../src/engine/deliver-file.js';
import type { Http } from '../../src/engine/ports.js';
import { TargetGate } from '../../src/engine/target-gate.js';
import { fileVariables, targetSpec } from '../../src/engine/target-spec.js';
import { nodeDeliveryPorts } from '../../src/node/delivery-ports.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { validateConfig } from '../../src/engine/config/validate-config.js';
import { RecordingLogger } from '../fakes/fake-logger.js';
import { FakeSecrets } from '../fakes/fake-secrets.js';

const NAME = 'customers-2024-01-31-v1.csv';
const FOLDER = {
  rule: '{descriptor}-{date}-{version}.{ext}',
  fields: { dataset_id: 'ds-1', record_type: 'customer' },
};

let dir = '';
let path = '';
let content = Buffer.alloc(0);
let sandbox: RunningSandbox | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-deliver-'));
  path = join(dir, NAME);
  // Not a multiple of any chunk size, and bigger than one read chunk.
  content = randomBytes(3 * 1024 * 1024 + 1234);
  await writeFile(path, content);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

function lexerTarget(endpoint: string): DeliveryTarget {
  const config = validateConfig({
    targets: { lexer: { profile: 'lexer', endpoint: `${endpoint}/v1/uploads`, retry: { stallSeconds: 5 } } },
    folders: [{ path: dir, target: 'lexer', fields: FOLDER.fields }],
  });
  const target = config.targets.lexer;
  if (target === undefined) throw new Error('no target');
  return {
    ...targetSpec('lexer', target, FOLDER),
    retry: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 12, maxElapsedMs: 60_000 },
    gate: new TargetGate(),
  };
}

function ports(token: string, logger = new RecordingLogger()): DeliveryPorts {
  return nodeDeliveryPorts({ logger, secrets: new FakeSecrets({ lexer: token }) });
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('deliverFile through got to the real sandbox', () => {
  it('delivers the exact bytes once', async () => {
    sandbox = await startSandbox({ port: 0, log: () => undefined });
    const report = await deliverFile(ports(sandbox.token), lexerTarget(sandbox.endpoint), {
      path,
      variables: fileVariables(NAME, FOLDER),
    });
    expect(report.state.status).toBe('completed');
    const deliveries = await sandbox.deliveries();
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ filename: NAME, size: content.length, sha256: sha256(content) });
  });

  it('gets through injected 500s, 503s and connection resets, still delivering once', async () => {
    let draws = 0;
    // Deterministic: the first few requests fail, the rest succeed.
    const random = () => (draws++ < 6 ? 0.01 : 0.99);
    sandbox = await startSandbox({ port: 0, failRate: 0.5, random, log: () => undefined });
    const report = await deliverFile(ports(sandbox.token), lexerTarget(sandbox.endpoint), {
      path,
      variables: fileVariables(NAME, FOLDER),
    });
    expect(report.state.status).toBe('completed');
    expect(report.history.some((h) => h.state.status === 'retry-wait')).toBe(true);
    const deliveries = await sandbox.deliveries();
    expect(deliveries.map((d) => d.sha256)).toEqual([sha256(content)]);
  });

  it('fetches a fresh URL when the first one expired before the PUT', async () => {
    sandbox = await startSandbox({ port: 0, urlTtlSeconds: 1, log: () => undefined });
    const base = ports(sandbox.token);
    let puts = 0;
    // The first PUT leaves after its URL expired, as after a long stall or a suspended laptop.
    const slowFirstPut: Http = {
      request: async (request) => {
        if (request.method === 'PUT' && (puts += 1) === 1) await base.clock.sleep(2_100);
        return base.http.request(request);
      },
    };
    const report = await deliverFile({ ...base, http: slowFirstPut }, lexerTarget(sandbox.endpoint), {
      path,
      variables: fileVariables(NAME, FOLDER),
    });
    expect(report.state.status).toBe('completed');
    const waits = report.history.flatMap((h) => (h.state.status === 'retry-wait' ? [h.state.error] : []));
    expect(waits).toEqual([
      { kind: 'url-expired', message: expect.stringContaining('Request has expired') as string },
    ]);
    expect((await sandbox.deliveries()).map((d) => d.sha256)).toEqual([sha256(content)]);
  });

  it('delivers to the analytics API and follows the import to Completed', async () => {
    sandbox = await startSandbox({ port: 0, processingDelayMs: 50, log: () => undefined });
    const name = 'testprovider_transactions_2025-01-01.csv';
    const folder = { rule: '{provider}_{datasetType}_{date}.{ext}', fields: {} };
    const csv = Buffer.from('date,amount\n2025-01-01,10\n2025-01-02,12\n');
    const csvPath = join(dir, name);
    await writeFile(csvPath, csv);
    const config = validateConfig({
      targets: { lexer: { profile: 'analytics', endpoint: `${sandbox.endpoint}/analytics/files/upload` } },
      folders: [{ path: dir, target: 'lexer', rule: folder.rule }],
    });
    const target = config.targets.lexer;
    if (target === undefined) throw new Error('no target');
    const report = await deliverFile(
      ports(sandbox.token),
      { ...targetSpec('lexer', target, folder), gate: new TargetGate() },
      { path: csvPath, variables: fileVariables(name, folder) },
    );
    expect(report.state.status).toBe('completed');
    expect(report.history.map((h) => h.state.status)).toContain('processing');
    const deliveries = await sandbox.deliveries();
    expect(deliveries).toMatchObject([
      { filename: name, size: csv.length, sha256: sha256(csv), api: 'analytics' },
    ]);
  });

  it('delivers through the Bearer form API and follows the task to SUCCESS', async () => {
    sandbox = await startSandbox({ port: 0, processingDelayMs: 50, log: () => undefined });
    const folder = {
      rule: FOLDER.rule,
      fields: { file_description: 'customers', file_size_limit: String(10 * 1024 * 1024) },
    };
    const config = validateConfig({
      targets: { lexer: { profile: 'form', endpoint: `${sandbox.endpoint}/api/v1/file/new` } },
      folders: [{ path: dir, target: 'lexer', fields: folder.fields }],
    });
    const target = config.targets.lexer;
    if (target === undefined) throw new Error('no target');
    const report = await deliverFile(
      ports(sandbox.token),
      { ...targetSpec('lexer', target, folder), gate: new TargetGate() },
      { path, variables: fileVariables(NAME, folder) },
    );
    expect(report.state.status).toBe('completed');
    expect(await sandbox.deliveries()).toMatchObject([
      { filename: NAME, size: content.length, sha256: sha256(content), api: 'form' },
    ]);
  });

  it('stops on a rejected token with one clear message and no retries', async () => {
    sandbox = await startSandbox({ port: 0, log: () => undefined });
    const logger = new RecordingLogger();
    const report = await deliverFile(ports('not-the-token', logger), lexerTarget(sandbox.endpoint), {
      path,
      variables: fileVariables(NAME, FOLDER),
    });
    expect(report.state).toMatchObject({ status: 'failed', error: { kind: 'token-rejected' } });
    expect(report.state.status === 'failed' && report.state.error.message).toMatch(/^token rejected: /);
    expect(logger.ofLevel('error')).toHaveLength(1);
    expect(await sandbox.deliveries()).toEqual([]);
  });
});
