import { createServer } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ferry } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('upload-offline');

/** A port nothing listens on: every connection is refused, as when the vendor is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('ferry upload while the vendor does not answer', () => {
  it('waits --offline-timeout, then fails each file with the reason and exits 1', async () => {
    const folder = await tempDir();
    const files = ['a-2024-06-12-v1.csv', 'b-2024-06-12-v1.csv'].map((name) => join(folder, name));
    for (const file of files) await writeFile(file, 'id\n1\n');
    const endpoint = `http://127.0.0.1:${await closedPort()}/v1/uploads`;
    const started = Date.now();
    const run = ferry(
      ['upload', ...files, '--endpoint', endpoint, '--profile', 'lexer', '--state-dir', await tempDir()],
      { FERRY_TOKEN: 'token-0123456789' },
    );
    const runWithLimit = ferry(
      [
        'upload',
        ...files,
        '--endpoint',
        endpoint,
        '--profile',
        'lexer',
        '--state-dir',
        await tempDir(),
        '--offline-timeout',
        '3',
      ],
      { FERRY_TOKEN: 'token-0123456789' },
    );
    expect(await runWithLimit.exited).toBe(1);
    const seconds = (Date.now() - started) / 1000;
    // One outage: the second file does not wait the whole limit again.
    expect(seconds).toBeLessThan(12);
    const output = runWithLimit.output();
    expect(output).toContain('offline — waiting up to 3 s for default to answer');
    expect(output).toMatch(/ECONNREFUSED.*still no answer after 3 s, so Ferry gave up/);
    expect(output).not.toMatch(/retry \d+ in/);
    expect(output.match(/✗/g)?.length ?? 0).toBe(2);

    // Without the flag the default limit (minutes) holds it: still waiting here.
    expect(run.child.exitCode).toBeNull();
    run.child.kill('SIGINT');
    await run.exited;
  }, 30_000);
});
