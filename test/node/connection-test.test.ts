import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeName, testConnection } from '../../src/engine/connection-test.js';
import type { Http, HttpRequest } from '../../src/engine/ports.js';
import { targetSpec } from '../../src/engine/target-spec.js';
import { nodeDeliveryPorts } from '../../src/node/delivery-ports.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import type { TargetConfig } from '../../src/engine/config/target-schema.js';
import { validateConfig } from '../../src/engine/config/validate-config.js';
import { DEFAULT_TEMPLATE } from '../../src/shared/naming.js';
import { RecordingLogger } from '../fakes/fake-logger.js';
import { FakeSecrets } from '../fakes/fake-secrets.js';

/** "Test connection" against the real sandbox through the real HTTP adapter (got). */
let sandbox: RunningSandbox;
let http: Http;
const sent: HttpRequest[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  const real = nodeDeliveryPorts({ logger: new RecordingLogger(), secrets: new FakeSecrets({}) }).http;
  // Records what went out; every request still reaches the sandbox.
  http = { request: (request) => (sent.push(request), real.request(request)) };
});

afterAll(async () => {
  await sandbox.close();
});

function target(raw: Record<string, unknown>): TargetConfig {
  const config = validateConfig({ targets: { vendor: raw } });
  const parsed = config.targets.vendor;
  if (parsed === undefined) throw new Error('no target');
  return parsed;
}

const folder = { rule: DEFAULT_TEMPLATE, fields: {} };
const NOW = Date.UTC(2024, 5, 12);

async function probe(raw: Record<string, unknown>, token: string) {
  const config = target(raw);
  return testConnection(
    { http, secrets: new FakeSecrets({ vendor: token }) },
    targetSpec('vendor', config, folder),
    folder,
    NOW,
    AbortSignal.timeout(10_000),
  );
}

describe('test connection', () => {
  it('asks the lexer endpoint for an upload URL with the real token, and sends no data', async () => {
    sent.length = 0;
    const result = await probe(
      { profile: 'lexer', endpoint: `${sandbox.endpoint}/v1/uploads` },
      sandbox.token,
    );
    expect(result.outcome).toBe('ok');
    expect(result.message).toContain(probeName(NOW));
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual([`POST ${sandbox.endpoint}/v1/uploads`]);
    expect(JSON.parse(sent[0]?.body as string)).toEqual({
      filename: 'ferry-connection-test-2024-06-12-v1.csv',
    });
    expect(await sandbox.deliveries()).toEqual([]);
  });

  it('fills a presigned-put template, variables no file provides included', async () => {
    sent.length = 0;
    const result = await probe(
      {
        profile: 'presigned-put',
        endpoint: `${sandbox.endpoint}/v1/uploads`,
        request: { body: { filename: '{filename}', dataset_id: '{dataset_id}' } },
        response: { url: 'url', id: 'id' },
      },
      sandbox.token,
    );
    expect(result.outcome).toBe('ok');
    expect(JSON.parse(sent[0]?.body as string)).toEqual({
      filename: 'ferry-connection-test-2024-06-12-v1.csv',
      dataset_id: 'ferry-connection-test',
    });
  });

  it('says the token was refused, and what the server said', async () => {
    const result = await probe(
      { profile: 'lexer', endpoint: `${sandbox.endpoint}/v1/uploads` },
      'wrong-token',
    );
    expect(result.outcome).toBe('failed');
    expect(result.message).toMatch(/token rejected.*401/);
    expect(result.message).toContain('Set a new token');
    expect(result.message).not.toContain('wrong-token');
  });

  it('says when nothing answers', async () => {
    const result = await probe({ profile: 'lexer', endpoint: 'http://127.0.0.1:9/v1/uploads' }, 't');
    expect(result.outcome).toBe('failed');
    expect(result.message).toMatch(/ECONNREFUSED|refused/i);
  });

  it('sends nothing for profiles whose first request is not harmless, and says why', async () => {
    sent.length = 0;
    for (const profile of ['analytics', 'form', 's3-multipart']) {
      const result = await probe({ profile, endpoint: `${sandbox.endpoint}/x` }, sandbox.token);
      expect(result.outcome).toBe('not-tested');
      expect(result.message).toMatch(/^Not tested: .+Deliver a small file/);
    }
    expect(sent).toEqual([]);
  });
});
