import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMetricsAddress } from '../../src/node/metrics-server.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { ferry } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

/** `ferry watch --metrics`: Prometheus scrapes the real agent while it delivers to a sandbox. */
let sandbox: RunningSandbox;
const tempDir = useTempDir('metrics');

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() - started > 30_000) throw new Error(`${what} did not come within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The value of one sample: `name{labels} value`. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('ferry watch --metrics', () => {
  it('serves what was delivered, rejected and sent, queue depth, offline targets and late expectations', async () => {
    const folder = await tempDir();
    const stateDir = await tempDir();
    const config = join(await tempDir(), 'ferry.json');
    await writeFile(
      config,
      JSON.stringify({
        targets: { lexer: { profile: 'lexer', endpoint: `${sandbox.endpoint}/v1/uploads` } },
        folders: [
          {
            path: folder,
            target: 'lexer',
            // Due at midnight and nothing sent: late all day, in every zone.
            expect: [{ descriptor: 'orders', every: 'day', by: '00:00', timezone: 'UTC' }],
          },
        ],
      }),
    );
    await writeFile(join(folder, 'customers-2026-12-03-v1.csv'), 'id\n1\n');
    await writeFile(join(folder, 'customers-2026-12-03-v2.csv'), 'id\n2\n');
    await writeFile(join(folder, 'Bad Name.csv'), 'id\n3\n');
    const agent = ferry(
      [
        'watch',
        '--config',
        config,
        '--state-dir',
        stateDir,
        '--settle',
        '0.2',
        '--metrics',
        '127.0.0.1:0',
        '--json',
      ],
      { FERRY_TOKEN: sandbox.token },
    );
    try {
      const url = await until('the metrics address', () => {
        const line = agent
          .output()
          .split('\n')
          .find((l) => l.includes('"type":"metrics"'));
        return line === undefined ? undefined : (JSON.parse(line) as { url: string }).url;
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const text = await until('the deliveries in the metrics', async () => {
        const answer = await fetch(url);
        const body = await answer.text();
        expect(answer.headers.get('content-type')).toContain('text/plain');
        return sample(body, 'ferry_files_delivered_total', `target="lexer",folder="${folder}"`) === 2 &&
          sample(body, 'ferry_files_rejected_total', `target="lexer",folder="${folder}"`) === 1
          ? body
          : undefined;
      });
      expect(sample(text, 'ferry_bytes_sent_total', `target="lexer",folder="${folder}"`)).toBe(10);
      expect(sample(text, 'ferry_files_failed_total', `target="lexer",folder="${folder}"`)).toBeUndefined();
      expect(sample(text, 'ferry_queue_depth', 'target="lexer"')).toBe(0);
      expect(sample(text, 'ferry_jobs_in_retry', 'target="lexer"')).toBe(0);
      expect(sample(text, 'ferry_target_offline', 'target="lexer"')).toBe(0);
      expect(sample(text, 'ferry_expectation_late', `folder="${folder}",descriptor="orders"`)).toBe(1);
      const last = sample(text, 'ferry_last_delivery_timestamp_seconds', `folder="${folder}"`) ?? 0;
      expect(Math.abs(last - Date.now() / 1000)).toBeLessThan(60);
      expect(text).toContain('# TYPE ferry_files_delivered_total counter');
      expect((await fetch(url.replace('/metrics', '/'))).status).toBe(404);
    } finally {
      agent.child.kill('SIGTERM');
      await agent.exited;
    }
  });

  it('listens on loopback unless a host is named', () => {
    expect(parseMetricsAddress(':9184')).toEqual({ host: '127.0.0.1', port: 9184 });
    expect(parseMetricsAddress('9184')).toEqual({ host: '127.0.0.1', port: 9184 });
    expect(parseMetricsAddress('0.0.0.0:9184')).toEqual({ host: '0.0.0.0', port: 9184 });
    expect(parseMetricsAddress('[::1]:9184')).toEqual({ host: '::1', port: 9184 });
    expect(parseMetricsAddress('host:99999')).toHaveProperty('problem');
    expect(parseMetricsAddress('nope')).toHaveProperty('problem');
  });
});
