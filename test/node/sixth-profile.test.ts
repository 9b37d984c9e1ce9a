import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverFile } from '../../src/engine/deliver-file.js';
import { ensureOk } from '../../src/engine/vendor-answer.js';
import type { Protocol, Upload } from '../../src/engine/protocols/protocol.js';
import { PROTOCOLS, type ProtocolRegistry } from '../../src/engine/protocols/registry.js';
import {
  completeBody,
  completeUrl,
  partUrlRequestUrl,
  readCreated,
  readEtag,
  readPartUrl,
  type MultipartSpec,
} from '../../src/engine/protocols/multipart-requests.js';
import { authHeaders, templateRequest } from '../../src/engine/protocols/token-request.js';
import { request, sendFile } from '../../src/engine/protocols/vendor-requests.js';
import { TargetGate } from '../../src/engine/target-gate.js';
import { fileVariables, targetSpecOf } from '../../src/engine/target-spec.js';
import { nodeDeliveryPorts } from '../../src/node/delivery-ports.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import type { ProfileName } from '../../src/shared/config.js';
import { RecordingLogger } from '../fakes/fake-logger.js';
import { FakeSecrets } from '../fakes/fake-secrets.js';

/**
 * The experiment the protocol interface promises: a sixth profile is one module and one
 * registry line. This one is a vendor that wants every file as an S3 multipart upload of a
 * single part (create, one part URL, one PUT, complete), written here from the building
 * blocks every protocol uses, and delivered through the sandbox by the unchanged delivery.
 */
async function sendAsOnePart(spec: MultipartSpec, upload: Upload): Promise<string> {
  const headers = { accept: 'application/json', ...authHeaders(spec.auth, upload.token) };
  const create = templateRequest(spec, upload.variables, upload.token);
  const created = await upload.pacer.run({ what: 'create-upload' }, async () =>
    readCreated(ensureOk(await request(upload, { method: 'POST', ...create }), 'url-request')),
  );
  upload.started(upload.size);
  const etag = await upload.pacer.run(upload.jobPace, async (attempt) => {
    const grant = await request(upload, {
      method: 'POST',
      url: partUrlRequestUrl(spec, created.uploadId, 1),
      headers,
    });
    const url = readPartUrl(ensureOk(grant, 'url-request'));
    const answer = await sendFile(
      upload,
      attempt,
      (stream) => ({
        method: 'PUT',
        url,
        headers: { 'content-length': String(upload.size) },
        body: { stream, length: upload.size },
      }),
      {
        onSent: (sent) => {
          upload.progress(sent);
        },
      },
    );
    return readEtag(ensureOk(answer, 'upload'));
  });
  await upload.pacer.run({ what: 'complete' }, async () =>
    ensureOk(
      await request(upload, {
        method: 'POST',
        url: completeUrl(spec, created.uploadId),
        headers: { ...headers, 'content-type': 'application/json' },
        body: completeBody([{ partNumber: 1, etag, size: upload.size }]),
      }),
      'url-request',
    ),
  );
  return created.remoteId;
}

const singlePart: Protocol = {
  config: { defaultAuth: 'auth-api-token', defaultBody: { filename: '{filename}' }, needsTemplates: false },
  maxBytes: 5 * 1024 ** 3,
  resumes: 'from-scratch',
  bind: (_name, target) => {
    const spec: MultipartSpec = {
      endpoint: target.endpoint,
      auth: target.auth.style,
      body: target.request?.body ?? { filename: '{filename}' },
    };
    return {
      endpoint: spec.endpoint,
      send: (upload) => sendAsOnePart(spec, upload),
      probe: { harmless: false, reason: 'Not tested: its first request opens an upload.' },
    };
  },
};

/** The registry line. */
const registry: ProtocolRegistry<ProfileName | 'single-part'> = { ...PROTOCOLS, 'single-part': singlePart };

// @ts-expect-error -- without its line, a registry that names the sixth profile does not compile.
const withoutTheLine: ProtocolRegistry<ProfileName | 'single-part'> = { ...PROTOCOLS };

let sandbox: RunningSandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, log: () => undefined });
  dir = await mkdtemp(join(tmpdir(), 'ferry-sixth-'));
});

afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a sixth profile: a module and a registry line', () => {
  it('delivers through the sandbox with the delivery, pacer and requests as they are', async () => {
    const name = 'orders-2024-06-12-v1.csv';
    const content = Buffer.concat([Buffer.from('id,payload\n1,'), randomBytes(70_000), Buffer.from('\n')]);
    const path = join(dir, name);
    await writeFile(path, content);
    const target = targetSpecOf(
      registry['single-part'],
      'sixth',
      { endpoint: `${sandbox.endpoint}/v1/multipart`, auth: { style: 'auth-api-token' } },
      { fields: {} },
    );
    const report = await deliverFile(
      nodeDeliveryPorts({
        logger: new RecordingLogger(),
        secrets: new FakeSecrets({ sixth: sandbox.token }),
      }),
      { ...target, gate: new TargetGate() },
      { path, variables: fileVariables(name, { rule: '{descriptor}-{date}-{version}.{ext}', fields: {} }) },
    );

    expect(report.state).toMatchObject({ status: 'completed' });
    const arrived = (await sandbox.deliveries()).filter((d) => d.filename === name);
    expect(arrived).toHaveLength(1);
    expect(arrived[0]?.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(Object.keys(withoutTheLine)).not.toContain('single-part');
  });
});
