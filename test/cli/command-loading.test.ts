import { spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir.js';

/**
 * A command loads only what it uses (issue #15): `ferry --help`, `ferry check` and `ferry jobs`
 * start without the sandbox, the AWS SDK, React's build or the HTTP client. The real binary
 * runs with a hook that records every module it resolves.
 */
const tempDir = useTempDir('command-loading');

const HEAVY = [
  // bin/ferry.js runs the bundle (scripts/bundle-cli.mjs), which keeps the sandbox's server in a
  // chunk of its own; the compiled modules are named too, should a command import them.
  ['the sandbox', /\/dist\/(cli\/bundle\/sandbox-server-|sandbox\/)/],
  ['the AWS SDK', /\/node_modules\/@aws-sdk\//],
  ['s3rver', /\/node_modules\/s3rver\//],
  ['React', /\/node_modules\/react(-dom)?\//],
  ['the renderer build', /\/dist\/renderer\//],
  // The HTTP adapter and what it may load: no command that only reads sends a request.
  ['the HTTP adapter', /\/(dist\/cli\/bundle\/node-http-|dist\/node\/node-http\.js|node_modules\/hpagent\/)/],
  // The config and contract schemas: only reading a config or serving commands needs them.
  ['zod', /\/(dist\/cli\/bundle\/zod-|node_modules\/zod\/)/],
  // conf brings ajv; only a settings write needs it.
  ['conf and ajv', /\/node_modules\/(conf|ajv)\//],
] as const;

async function modulesLoadedBy(args: readonly string[], expectedExit = 0): Promise<string[]> {
  const log = join(await tempDir(), 'loads.txt');
  await writeFile(log, '');
  const run = spawnSync(
    process.execPath,
    ['--import', './test/support/load-recorder.mjs', 'bin/ferry.js', ...args],
    { encoding: 'utf8', env: { ...process.env, FERRY_LOAD_LOG: log, FERRY_TOKEN: 'token-1' } },
  );
  expect(run.status, run.stderr).toBe(expectedExit);
  // Each line: the module's URL, then the URL of the module that imported it.
  return (await readFile(log, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(' ')[0] ?? '');
}

describe('what a command loads', () => {
  it.each([
    ['--help', () => Promise.resolve(['--help'])],
    [
      'check',
      async () => {
        const file = join(await tempDir(), 'customers-2026-12-03-v1.csv');
        await writeFile(file, 'id,name\n1,Ada\n');
        return ['check', '--content', file];
      },
    ],
    ['jobs', async () => ['jobs', '--state-dir', join(await tempDir(), 'state')]],
  ])('ferry %s loads none of the heavy parts', async (_name, args) => {
    const loaded = await modulesLoadedBy(await args());
    // The hook saw the command's own module: an empty record would prove nothing.
    expect(loaded.some((url) => url.includes('/dist/cli/bundle/'))).toBe(true);
    for (const [part, pattern] of HEAVY) {
      expect(
        loaded.filter((url) => pattern.test(url)),
        part,
      ).toEqual([]);
    }
  });

  it.each([['sandbox-server'], ['zod'], ['node-http']])(
    'names the %s chunk the way the patterns above expect',
    async (name) => {
      const chunks = await readdir('dist/cli/bundle');
      expect(chunks.filter((chunk) => chunk.startsWith(`${name}-`) && chunk.endsWith('.js'))).toHaveLength(1);
    },
  );

  it('sees the HTTP adapter where a command does load it', async () => {
    // Nothing listens on port 9: the listing fails at once, after loading what it asks with.
    const loaded = await modulesLoadedBy(
      ['remote', 'list', '--endpoint', 'http://127.0.0.1:9/api/v1/files', '--profile', 'form'],
      1,
    );
    expect(loaded.filter((url) => url.includes('/dist/cli/bundle/node-http-'))).not.toEqual([]);
  });
});
