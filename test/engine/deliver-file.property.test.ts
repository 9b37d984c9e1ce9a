import fc from 'fast-check';
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

const NAME = 'customers-2024-01-31-v1.csv';
const FOLDER = { rule: '{descriptor}-{date}-{version}.{ext}', fields: {} };
const CONTENT = 'id,email\n' + Array.from({ length: 20 }, (_, i) => `${i},u${i}@example.com`).join('\n');

const FAULTS = [
  'ok',
  'reset',
  'reset-midway',
  '500',
  '503',
  '429',
  'expired',
  'stall',
  'stall-midway',
] as const;
type Fault = (typeof FAULTS)[number];

const xml = (code: string, message: string) =>
  `<Error><Code>${code}</Code><Message>${message}</Message></Error>`;

async function answer(x: Exchange, fault: Fault, ok: () => HttpResponse): Promise<HttpResponse> {
  switch (fault) {
    case 'ok':
      await x.receive();
      return ok();
    case 'reset':
      throw networkError('ECONNRESET');
    case 'reset-midway':
      await x.receive(17);
      throw networkError('EPIPE');
    case '500':
      return text(500, 'oops');
    case '503':
      return text(503, xml('SlowDown', 'Please reduce your request rate.'));
    case '429':
      return json(429, { message: 'rate limited' }, { 'retry-after': '5' });
    case 'expired':
      return text(403, xml('AccessDenied', 'Request has expired'));
    case 'stall':
      return x.hang();
    case 'stall-midway':
      await x.receive(9);
      return x.hang();
  }
}

describe('deliverFile under any sequence of faults', () => {
  it('always gets through within its budget, the bytes taken once, each URL used once', async () => {
    const faults = fc.array(fc.constantFrom(...FAULTS), { maxLength: 10 });
    await fc.assert(
      fc.asyncProperty(
        faults,
        faults,
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        async (posts, puts, r) => {
          let grants = 0;
          let putCount = 0;
          const accepted: string[] = [];
          const http = new FakeHttp(async (x) => {
            if (x.method === 'POST') {
              const fault = posts[grants] ?? 'ok';
              grants += 1;
              const url = `https://b.s3.example/k/${grants}?X-Amz-Signature=s${grants}`;
              return answer(x, fault, () => json(200, { id: grants, url }));
            }
            const fault = puts[putCount] ?? 'ok';
            putCount += 1;
            const response = await answer(x, fault, () => text(200, ''));
            if (response.status === 200) accepted.push(new TextDecoder().decode(http.received.get(x.index)));
            return response;
          });
          const clock = new FakeClock();
          const files = new FakeFiles(8);
          files.write('/in/' + NAME, CONTENT);
          const target: DeliveryTarget = {
            ...targetSpec(
              't',
              {
                profile: 'lexer',
                endpoint: 'https://api.example/v1/uploads',
                auth: { style: 'auth-api-token' },
              },
              FOLDER,
            ),
            retry: { baseDelayMs: 1_000, maxDelayMs: 30_000, maxAttempts: 25, maxElapsedMs: 24 * 3_600_000 },
            stallMs: 10_000,
            gate: new TargetGate(),
          };
          const ports = {
            clock,
            files,
            http,
            secrets: new FakeSecrets({ t: 'tok-123456' }),
            logger: new RecordingLogger(),
            random: () => r,
          };
          const report = await runOn(
            clock,
            deliverFile(ports, target, { path: '/in/' + NAME, variables: fileVariables(NAME, FOLDER) }),
          );

          // With 25 attempts and at most 20 faults, every run gets through.
          expect(report.state.status).toBe('completed');
          expect(accepted).toEqual([CONTENT]);
          const putUrls = http.ofMethod('PUT').map((p) => p.url);
          expect(new Set(putUrls).size).toBe(putUrls.length);
          expect(report.history.at(-1)?.state.status).toBe('completed');
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives up with its history when the faults outlast the budget', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...FAULTS.filter((f) => f !== 'ok')), { minLength: 4, maxLength: 4 }),
        async (faults) => {
          let n = 0;
          const http = new FakeHttp(async (x) => {
            const fault = faults[n % faults.length] ?? 'reset';
            n += 1;
            return answer(x, fault, () => json(200, { id: 1, url: 'https://b.s3.example/k' }));
          });
          const clock = new FakeClock();
          const files = new FakeFiles(8);
          files.write('/in/' + NAME, CONTENT);
          const target: DeliveryTarget = {
            ...targetSpec(
              't',
              {
                profile: 'lexer',
                endpoint: 'https://api.example/v1/uploads',
                auth: { style: 'auth-api-token' },
              },
              FOLDER,
            ),
            retry: { baseDelayMs: 1_000, maxDelayMs: 30_000, maxAttempts: 4, maxElapsedMs: 3_600_000 },
            stallMs: 10_000,
            gate: new TargetGate(),
          };
          const ports = {
            clock,
            files,
            http,
            secrets: new FakeSecrets({ t: 'tok-123456' }),
            logger: new RecordingLogger(),
            random: () => 0.5,
          };
          const report = await runOn(
            clock,
            deliverFile(ports, target, { path: '/in/' + NAME, variables: fileVariables(NAME, FOLDER) }),
          );
          expect(report.state.status).toBe('failed');
          expect(report.history.filter((h) => h.state.status === 'retry-wait').length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 60 },
    );
  });
});
