import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ferrySync } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * The numbers of the command line are bounded like the config's (issue #16, finding 8): past
 * about 24.8 days Node runs a timer after 1 ms, so `--settle 3e6` would spin instead of wait.
 */
const tempDir = useTempDir('flag-bounds');

describe('numbers on the command line', () => {
  it.each([
    ['--settle', '3e6', "ferry: --settle must be a positive number up to 3600, got '3e6'\n"],
    [
      '--concurrency',
      '1e308',
      "ferry: --concurrency must be a positive whole number up to 32, got '1e308'\n",
    ],
  ])('ferry watch refuses %s %s, naming the bound', async (flag, value, line) => {
    const dir = await tempDir();
    const run = ferrySync(
      ['watch', dir, '--once', '--endpoint', 'http://127.0.0.1:9/v1/uploads', '--profile', 'lexer'].concat([
        '--state-dir',
        join(dir, 'state'),
        flag,
        value,
      ]),
      { FERRY_TOKEN: 'flag-bounds-token' },
    );
    expect(run).toMatchObject({ code: 2, stderr: line });
  });

  it('ferry upload refuses an --offline-timeout past a week, naming the bound', async () => {
    const dir = await tempDir();
    const run = ferrySync(
      ['upload', join(dir, 'a-2024-06-12-v1.csv'), '--endpoint', 'http://127.0.0.1:9/v1/uploads'].concat([
        '--profile',
        'lexer',
        '--offline-timeout',
        '3e6',
      ]),
      { FERRY_TOKEN: 'flag-bounds-token' },
    );
    expect(run).toMatchObject({
      code: 2,
      stderr: "ferry: --offline-timeout must be a number of seconds from 0 to 604800, got '3e6'\n",
    });
  });
});
