import { describe, expect, it } from 'vitest';
import { deliverFile, type DeliveryTarget } from '../../src/engine/deliver-file.js';
import type { HttpResponse } from '../../src/engine/ports.js';
import { TargetGate } from '../../src/engine/target-gate.js';
import { fileVariables, targetSpec } from '../../src/engine/target-spec.js';
import { FakeClock, runOn } from '../fakes/fake-clock.js';
import { FakeFiles } from '../fakes/fake-files.js';
import { FakeHttp, json, networkError, text, type Exchange } from '../fakes/fake-http.js';
import { RecordingLogger } from '../fakes/fake-logger.js';
import { FakeSecrets } from '../fakes/fake-secrets.js';

const ENDPOINT = 'https://files.example/api/v1/file/new';
const NAME = 'customers-2024-01-31-v1.csv';
const FOLDER = { rule: '{descriptor}-{date}-{version}.{ext}', fields: { enforce_schema: 'true' } };
const CONTENT = 'id,email\n1,a@example.com\n2,b@example.com\n';

function setup(handler: (x: Exchange) => Promise<HttpResponse>) {
  const clock = new FakeClock();
  const files = new FakeFiles(8);
  files.write('/in/' + NAME, CONTENT);
  const http = new FakeHttp(handler);
  const target: DeliveryTarget = {
    ...targetSpec('files', { profile: 'form', endpoint: ENDPOINT, auth: { style: 'bearer' } }, FOLDER),
    retry: { baseDelayMs: 1_000, maxDelayMs: 8_000, maxAttempts: 3, maxElapsedMs: 600_000 },
    gate: new TargetGate(),
  };
  const ports = {
    clock,
    files,
    http,
    secrets: new FakeSecrets({ files: 'bearer-token-123' }),
    logger: new RecordingLogger(),
    random: () => 0.5,
  };
  const progress: { sent: number; total: number }[] = [];
  const deliver = () =>
    runOn(
      clock,
      deliverFile(
        ports,
        target,
        { path: '/in/' + NAME, variables: fileVariables(NAME, FOLDER) },
        { onEvent: (e) => e.type === 'progress' && progress.push({ sent: e.sent, total: e.total }) },
      ),
    );
  return { http, deliver, progress };
}

describe('deliverFile: the form profile', () => {
  it('posts the file in a multipart form with its fields, then follows the task to SUCCESS', async () => {
    let polls = 0;
    const { http, deliver } = setup(async (x) => {
      if (x.method === 'POST') {
        await x.receive();
        return json(200, { task_id: 'task-1' });
      }
      polls += 1;
      return json(200, { task_id: 'task-1', status: polls < 2 ? 'STARTED' : 'SUCCESS' });
    });
    const report = await deliver();
    expect(report.state).toEqual({ status: 'completed', remoteId: 'task-1' });
    const post = http.exchanges[0];
    expect(post?.headers.authorization).toBe('Bearer bearer-token-123');
    const body = new TextDecoder().decode(http.received.get(0));
    expect(body).toContain('name="enforce_schema"\r\n\r\ntrue\r\n');
    expect(body).toContain(
      `filename="${NAME}"\r\nContent-Type: application/octet-stream\r\n\r\n${CONTENT}\r\n`,
    );
    expect(body.length).toBe(post?.length);
    expect(http.ofMethod('GET').map((g) => g.url)).toEqual([
      'https://files.example/api/v1/tasks/task-1',
      'https://files.example/api/v1/tasks/task-1',
    ]);
    expect(report.history.map((h) => h.state.status)).toEqual([
      'queued',
      'requesting-url',
      'uploading',
      'processing',
      'completed',
    ]);
  });

  it("makes the file id of the task's result the remote id, keeping the task id", async () => {
    const { deliver } = setup(async (x) => {
      if (x.method === 'POST') {
        await x.receive();
        return json(200, { task_id: 'task-3' });
      }
      return json(200, {
        task_id: 'task-3',
        status: 'SUCCESS',
        result: { file_id: '53c9c295-83f4-4754-a781-cd03841c806f', file_name: NAME },
      });
    });
    expect((await deliver()).state).toEqual({
      status: 'completed',
      remoteId: '53c9c295-83f4-4754-a781-cd03841c806f',
      taskId: 'task-3',
    });
  });

  it('fails with the reason of a failed task', async () => {
    const { deliver } = setup(async (x) => {
      if (x.method === 'POST') {
        await x.receive();
        return json(200, { task_id: 'task-2' });
      }
      return json(200, { status: 'FAILURE', error: 'schema check failed: no header' });
    });
    expect((await deliver()).state).toEqual({
      status: 'failed',
      error: {
        kind: 'vendor-rejected',
        message: 'the vendor could not import the file: schema check failed: no header',
      },
    });
  });

  it('retries a form that never arrived, and reports progress in file bytes', async () => {
    let posts = 0;
    const { http, deliver, progress } = setup(async (x) => {
      if (x.method === 'POST') {
        posts += 1;
        if (posts === 1) {
          await x.receive(20);
          throw networkError('ECONNRESET');
        }
        await x.receive();
        return json(200, { task_id: 'task-3' });
      }
      return json(200, { status: 'SUCCESS' });
    });
    const report = await deliver();
    expect(report.state.status).toBe('completed');
    expect(http.ofMethod('POST')).toHaveLength(2);
    // The form adds its own bytes around the file; progress counts the file's only.
    expect(progress.every((p) => p.total === CONTENT.length && p.sent <= CONTENT.length)).toBe(true);
    expect(progress.at(-1)).toEqual({ sent: CONTENT.length, total: CONTENT.length });
  });

  it('does not send the file again when a 2xx answer lacks the task id', async () => {
    const { http, deliver } = setup(async (x) => {
      await x.receive();
      return text(200, 'OK');
    });
    const report = await deliver();
    expect(report.state).toMatchObject({ status: 'failed', error: { kind: 'bad-answer' } });
    expect(http.exchanges).toHaveLength(1);
  });
});
