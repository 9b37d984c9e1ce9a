import { describe, expect, it } from 'vitest';
import { deliverFile, type DeliveryTarget } from '../../src/engine/deliver-file.js';
import type { TargetConfig } from '../../src/engine/config/target-schema.js';
import { TargetGate } from '../../src/engine/target-gate.js';
import { fileVariables, targetSpec } from '../../src/engine/target-spec.js';
import { FakeClock, runOn } from '../fakes/fake-clock.js';
import { FakeFiles } from '../fakes/fake-files.js';
import { FakeHttp, text, type Handler } from '../fakes/fake-http.js';
import { RecordingLogger } from '../fakes/fake-logger.js';
import { FakeSecrets } from '../fakes/fake-secrets.js';
import { expectNoPieceOf } from '../support/no-secret.js';

/**
 * A vendor that repeats the token in its answer never gets it, or a piece of it, shown, stored or
 * logged when its message is cut to length (issue #16, finding 4).
 */
const TOKEN = 'QZ7tok-SECRET-0123456789';
const NAME = 'customers-2024-01-31-v1.csv';
const PATH = `/data/out/${NAME}`;
const FOLDER = { rule: '{descriptor}-{date}-{version}.{ext}', fields: {} };
const LEXER: TargetConfig = {
  profile: 'lexer',
  endpoint: 'https://api.lexer.io/v1/uploads',
  auth: { style: 'auth-api-token' },
};

async function deliverAgainst(handler: Handler) {
  const clock = new FakeClock();
  const files = new FakeFiles(8);
  files.write(PATH, 'id\n1\n');
  const logger = new RecordingLogger();
  const target: DeliveryTarget = { ...targetSpec('lexer', LEXER, FOLDER), gate: new TargetGate() };
  const report = await runOn(
    clock,
    deliverFile(
      {
        clock,
        files,
        http: new FakeHttp(handler),
        logger,
        secrets: new FakeSecrets({ lexer: TOKEN }),
        random: () => 0.5,
      },
      target,
      { path: PATH, variables: fileVariables(NAME, FOLDER) },
    ),
  );
  return { report, logger };
}

describe("a delivery, when the vendor's message holds the token near where it is cut", () => {
  // The message is cut at 300 characters: put the token across the cut, and on either side.
  const offsets = Array.from({ length: TOKEN.length + 8 }, (_, i) => 300 - TOKEN.length - 4 + i);

  it.each(offsets)('with the token at offset %i: no piece of it in the job or the log', async (offset) => {
    const said = `${'x'.repeat(offset)}${TOKEN} is not a token we know`;
    for (const body of [said, JSON.stringify({ message: said })]) {
      const { report, logger } = await deliverAgainst(() => text(400, body));
      expect(report.state.status).toBe('failed');
      expectNoPieceOf(TOKEN, JSON.stringify(report));
      expectNoPieceOf(TOKEN, JSON.stringify(logger.entries));
    }
  });
});

describe('an answer that holds the token where it must stay', () => {
  it('keeps a presigned URL whole when the token is part of it: the answer is scrubbed only where quoted', async () => {
    const url = `https://upload.s3.example/in/${TOKEN}-${NAME}?X-Amz-Signature=abc`;
    const puts: string[] = [];
    const { report } = await deliverAgainst(async (x) => {
      if (x.method === 'POST') return text(200, JSON.stringify({ id: 7, url }));
      puts.push(x.url);
      await x.receive();
      return text(200, '');
    });
    expect(report.state).toEqual({ status: 'completed', remoteId: '7' });
    expect(puts).toEqual([url]);
  });
});
