import { describe, expect, it } from 'vitest';
import { deliverFile, type DeliveryTarget } from '../../../src/engine/deliver-file.js';
import { memoryRecords } from '../../../src/engine/memory-records.js';
import type { PendingGrant } from '../../../src/engine/ports.js';
import { TargetGate } from '../../../src/engine/target-gate.js';
import { fileVariables, targetSpec } from '../../../src/engine/target-spec.js';
import { FakeClock, runOn } from '../../fakes/fake-clock.js';
import { FakeFiles } from '../../fakes/fake-files.js';
import { FakeHttp, json, text } from '../../fakes/fake-http.js';
import { RecordingLogger } from '../../fakes/fake-logger.js';
import { FakeSecrets } from '../../fakes/fake-secrets.js';

/**
 * A presigned URL saved under grants/ is sent to again only when a fresh one could have been:
 * an https URL (or loopback http), granted by this target's endpoint (issue #16, finding 2).
 */
const ENDPOINT = 'https://api.lexer.io/v1/uploads';
const NAME = 'customers-2024-01-31-v1.csv';
const PATH = `/data/out/${NAME}`;
const FOLDER = { rule: '{descriptor}-{date}-{version}.{ext}', fields: {} };
const GRANT_KEY = `lexer\n${PATH}\n${NAME}`;
const FRESH_URL = 'https://upload.s3.example/in/fresh?X-Amz-Signature=fresh';
const SAVED_URL = 'https://upload.s3.example/in/77?X-Amz-Signature=saved';

async function resumeWith(saved: unknown) {
  const clock = new FakeClock();
  const files = new FakeFiles(8);
  files.write(PATH, 'id\n1\n');
  const http = new FakeHttp(async (x) => {
    if (x.method === 'POST') return json(200, { id: 101, url: FRESH_URL });
    await x.receive();
    return text(200, '');
  });
  const grants = memoryRecords<PendingGrant>();
  await grants.save(GRANT_KEY, saved as PendingGrant);
  const logger = new RecordingLogger();
  const target: DeliveryTarget = {
    ...targetSpec(
      'lexer',
      { profile: 'lexer', endpoint: ENDPOINT, auth: { style: 'auth-api-token' } },
      FOLDER,
    ),
    gate: new TargetGate(),
  };
  const report = await runOn(
    clock,
    deliverFile(
      {
        clock,
        files,
        http,
        logger,
        secrets: new FakeSecrets({ lexer: 'tok-0123456789' }),
        random: () => 0.5,
        grants,
      },
      target,
      { path: PATH, variables: fileVariables(NAME, FOLDER) },
    ),
  );
  return { report, sent: http.exchanges.map((x) => `${x.method} ${x.url}`), logger };
}

describe('a saved grant', () => {
  it('granted by this endpoint, with an https URL: the interrupted upload goes on with it', async () => {
    const { report, sent } = await resumeWith({ remoteId: '77', url: SAVED_URL, endpoint: ENDPOINT });
    expect(report.state).toEqual({ status: 'completed', remoteId: '77' });
    expect(sent).toEqual([`PUT ${SAVED_URL}`]);
  });

  it.each([
    [
      'to another host, granted by another endpoint',
      { url: 'https://attacker.example/drop', endpoint: 'https://attacker.example/v1' },
    ],
    [
      'to another host, with no endpoint (planted, or saved by an older Ferry)',
      { url: 'https://attacker.example/drop' },
    ],
    ['over plain http to a remote host', { url: 'http://attacker.example/drop', endpoint: ENDPOINT }],
    ['with credentials in it', { url: 'https://user:pw@upload.s3.example/in/77', endpoint: ENDPOINT }],
    ['that is not a URL', { url: 'javascript:alert(1)', endpoint: ENDPOINT }],
    [
      'of a target whose endpoint has changed since',
      { url: SAVED_URL, endpoint: 'https://old.lexer.io/v1/uploads' },
    ],
  ])('%s: never sent to; a fresh URL is asked for', async (_what, planted) => {
    const { report, sent, logger } = await resumeWith({ remoteId: '77', ...planted });
    expect(report.state).toEqual({ status: 'completed', remoteId: '101' });
    expect(sent).toEqual([`POST ${ENDPOINT}`, `PUT ${FRESH_URL}`]);
    expect(logger.entries.map((e) => e.message)).toContain(
      'the saved URL of an interrupted upload is not used: asking for a fresh one',
    );
  });
});
