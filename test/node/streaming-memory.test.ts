import { open, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverFile } from '../../src/engine/deliver-file.js';
import { TargetGate } from '../../src/engine/target-gate.js';
import { fileVariables, targetSpec } from '../../src/engine/target-spec.js';
import { nodeDeliveryPorts } from '../../src/node/delivery-ports.js';
import { RecordingLogger } from '../fakes/fake-logger.js';
import { FakeSecrets } from '../fakes/fake-secrets.js';

const SIZE = 400 * 1024 * 1024;
const NAME = 'big-2024-01-31-v1.csv';
const FOLDER = { rule: '{descriptor}-{date}-{version}.{ext}', fields: {} };

let dir = '';
let server: Server | undefined;
let received = 0;
let base = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-memory-'));
  // A sparse file: large on paper, cheap to create and to read.
  const handle = await open(join(dir, NAME), 'w');
  await handle.truncate(SIZE);
  await handle.close();
  server = createServer((req, res) => {
    if (req.method === 'POST') {
      req.resume();
      req.on('end', () => res.end(JSON.stringify({ id: 1, url: `${base}/object` })));
      return;
    }
    req.on('data', (chunk: Buffer) => (received += chunk.length));
    req.on('end', () => res.end());
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

describe('streaming', () => {
  it('uploads a file far larger than the memory it uses', async () => {
    const ports = nodeDeliveryPorts({
      logger: new RecordingLogger(),
      secrets: new FakeSecrets({ t: 'token-123456' }),
    });
    const target = {
      ...targetSpec(
        't',
        { profile: 'lexer', endpoint: `${base}/v1/uploads`, auth: { style: 'auth-api-token' } },
        FOLDER,
      ),
      gate: new TargetGate(),
    };
    const before = used();
    let peak = before;
    const report = await deliverFile(
      ports,
      target,
      { path: join(dir, NAME), variables: fileVariables(NAME, FOLDER) },
      { onEvent: () => (peak = Math.max(peak, used())) },
    );
    expect(report.state.status).toBe('completed');
    expect(received).toBe(SIZE);
    // A slurping client would need the whole 400 MiB; a streaming one a few chunks.
    expect(peak - before).toBeLessThan(96 * 1024 * 1024);
  }, 60_000);
});
