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

const ENDPOINT = 'https://api.vendor.example/analytics/files/upload';
const NAME = 'testprovider_transactions_2025-01-01.csv';
const FOLDER = { rule: '{provider}_{datasetType}_{date}.{ext}', fields: {} };
const CONTENT = 'date,amount\n2025-01-01,10\n';
const UPLOAD_URL = 'https://bucket.s3.example/analytics/f-1?X-Amz-Signature=abc';

/** The vendor: grants f-1, takes the PUT, then answers the status polls in turn. */
function analyticsVendor(statuses: (() => HttpResponse)[]) {
  let polls = 0;
  return async (x: Exchange): Promise<HttpResponse> => {
    if (x.method === 'POST') return json(200, { id: 'f-1', url: UPLOAD_URL, expiresIn: 3600 });
    if (x.method === 'PUT') {
      await x.receive();
      return text(200, '');
    }
    const answer = statuses[Math.min(polls, statuses.length - 1)];
    polls += 1;
    if (answer === undefined) throw new Error('no status scripted');
    return answer();
  };
}

function setup(handler: (x: Exchange) => Promise<HttpResponse>) {
  const clock = new FakeClock();
  const files = new FakeFiles();
  files.write('/in/' + NAME, CONTENT);
  const http = new FakeHttp(handler);
  const target: DeliveryTarget = {
    ...targetSpec(
      'analytics',
      { profile: 'analytics', endpoint: ENDPOINT, auth: { style: 'auth-api-token' } },
      FOLDER,
    ),
    retry: { baseDelayMs: 1_000, maxDelayMs: 8_000, maxAttempts: 3, maxElapsedMs: 600_000 },
    gate: new TargetGate(),
  };
  const ports = {
    clock,
    files,
    http,
    secrets: new FakeSecrets({ analytics: 'tok-analytics-123' }),
    logger: new RecordingLogger(),
    random: () => 0.5,
  };
  const deliver = () =>
    runOn(clock, deliverFile(ports, target, { path: '/in/' + NAME, variables: fileVariables(NAME, FOLDER) }));
  return { http, deliver };
}

const statuses = (history: readonly { state: { status: string } }[]) => history.map((h) => h.state.status);

describe('deliverFile: the analytics profile', () => {
  it('sends the documented body, PUTs, then polls the status until Completed', async () => {
    const { http, deliver } = setup(
      analyticsVendor([
        () => json(200, { id: 'f-1', status: 'Pending' }),
        () => json(200, { id: 'f-1', status: 'Processing' }),
        () => json(200, { id: 'f-1', status: 'Completed', statistics: { rows: 1 } }),
      ]),
    );
    const report = await deliver();
    expect(report.state).toEqual({ status: 'completed', remoteId: 'f-1', statistics: { rows: 1 } });
    expect(statuses(report.history)).toEqual([
      'queued',
      'requesting-url',
      'uploading',
      'processing',
      'completed',
    ]);
    expect(JSON.parse(http.exchanges[0]?.text ?? '')).toEqual({
      datasetType: 'transactions',
      file: { name: NAME, type: 'csv' },
    });
    const polls = http.ofMethod('GET');
    expect(polls.map((p) => p.url)).toEqual(Array(3).fill('https://api.vendor.example/analytics/files/f-1'));
    expect(polls[0]?.headers['auth-api-token']).toBe('tok-analytics-123');
  });

  it("fails with the vendor's reason when the import fails, without sending the file again", async () => {
    const { http, deliver } = setup(
      analyticsVendor([
        () => json(200, { id: 'f-1', status: 'Failed', error: 'header "amount" is not allowed' }),
      ]),
    );
    const report = await deliver();
    expect(report.state).toEqual({
      status: 'failed',
      error: {
        kind: 'vendor-rejected',
        message: 'the vendor could not import the file: header "amount" is not allowed',
      },
    });
    expect(http.ofMethod('PUT')).toHaveLength(1);
  });

  it('keeps every figure the vendor reports, under its own names', async () => {
    const statistics = { rows: 12_345, columns: 8, rejectedRows: 0, warnings: ['BOM removed'] };
    const { deliver } = setup(
      analyticsVendor([() => json(200, { id: 'f-1', status: 'Completed', statistics })]),
    );
    expect((await deliver()).state).toEqual({ status: 'completed', remoteId: 'f-1', statistics });
  });

  it('completes without statistics when the vendor reports none', async () => {
    const { deliver } = setup(analyticsVendor([() => json(200, { id: 'f-1', status: 'Completed' })]));
    expect((await deliver()).state).toEqual({ status: 'completed', remoteId: 'f-1' });
  });

  it('retries status polls that fail, never the upload', async () => {
    const { http, deliver } = setup(
      analyticsVendor([
        () => {
          throw networkError('ECONNRESET');
        },
        () => text(503, ''),
        () => json(200, { status: 'Completed' }),
      ]),
    );
    const report = await deliver();
    expect(report.state).toEqual({ status: 'completed', remoteId: 'f-1' });
    expect(http.ofMethod('PUT')).toHaveLength(1);
    expect(http.ofMethod('GET')).toHaveLength(3);
  });

  it('gives up on a status it can never read, saying the file was delivered', async () => {
    const { http, deliver } = setup(analyticsVendor([() => text(200, '<html>maintenance</html>')]));
    const report = await deliver();
    expect(report.state).toMatchObject({
      status: 'failed',
      error: {
        kind: 'bad-answer',
        message: expect.stringMatching(
          /^delivered as f-1, but its import status could not be read: gave up after 3 attempts/,
        ) as string,
      },
    });
    expect(http.ofMethod('PUT')).toHaveLength(1);
  });
});
