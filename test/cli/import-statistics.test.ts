import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { ferry, ferryRun, ferrySync } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * The analytics API reports statistics once it has imported a file (seed 004: "view import
 * statistics once finished"): Ferry keeps them on the job and shows them wherever the
 * delivery is told, and shows the vendor's reason when an import fails.
 */
let sandbox: RunningSandbox;
const tempDir = useTempDir('statistics');

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, log: () => undefined });
});

afterAll(async () => {
  await sandbox.close();
});

const GOOD = 'testprovider_transactions_2025-01-01.csv';
const GOOD_CONTENT = 'date,amount\n2025-01-01,10\n2025-01-02,12\n2025-01-03,7\n';
const RAGGED = 'testprovider_transactions_2025-01-02.csv';

/** A folder of analytics files named as seed 004 names them, with the dataset type as a field. */
async function analyticsFolder() {
  const dir = await tempDir();
  await mkdir(join(dir, 'out'));
  const config = join(dir, 'ferry.json');
  await writeFile(
    config,
    JSON.stringify({
      targets: {
        analytics: { profile: 'analytics', endpoint: `${sandbox.endpoint}/analytics/files/upload` },
      },
      folders: [
        {
          path: 'out',
          target: 'analytics',
          rule: '{provider}_{datasetType}_{date}.{ext}',
        },
      ],
    }),
  );
  const good = join(dir, 'out', GOOD);
  await writeFile(good, GOOD_CONTENT);
  return { dir, config, good };
}

describe('import statistics', () => {
  it('ferry upload prints the figures after the remote id, and --json keeps them as the vendor named them', async () => {
    const { config, good } = await analyticsFolder();
    const text = await ferryRun(['upload', '--config', config, good], { FERRY_TOKEN: sandbox.token });
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(
        `✓ delivered {2}${good} \\(remote id [0-9a-f-]{36}\\) — 3 rows, 2 columns, ${GOOD_CONTENT.length} bytes\\n`,
      ),
    );

    const json = await ferryRun(['upload', '--config', config, '--json', good], {
      FERRY_TOKEN: sandbox.token,
    });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        file: good,
        status: 'completed',
        remoteId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
        statistics: { rows: 3, columns: 2, bytes: GOOD_CONTENT.length },
      },
    ]);
  });

  it("shows the vendor's reason for a failed import", async () => {
    const { dir, config } = await analyticsFolder();
    const ragged = join(dir, 'out', RAGGED);
    await writeFile(ragged, 'date,amount\n2025-01-02,1,extra\n');
    const run = await ferryRun(['upload', '--config', config, ragged], { FERRY_TOKEN: sandbox.token });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('vendor-rejected: the vendor could not import the file: ');
    expect(run.stdout).not.toContain('no reason given');
  });

  it('ferry watch tells the figures, and ferry jobs --json keeps them', async () => {
    const { dir, config } = await analyticsFolder();
    const stateDir = join(dir, 'state');
    const watch = ferry(['watch', '--config', config, '--once', '--settle', '0.3', '--state-dir', stateDir], {
      FERRY_TOKEN: sandbox.token,
    });
    expect(await watch.exited, watch.output()).toBe(0);
    expect(watch.output()).toMatch(
      /✓ delivered {2}testprovider_transactions_2025-01-01\.csv → \S+ — 3 rows, 2 columns, \d+ bytes/,
    );

    const jobs = ferrySync(['jobs', '--json', '--state-dir', stateDir]);
    expect(JSON.parse(jobs.stdout)).toEqual([
      expect.objectContaining({
        status: 'completed',
        statistics: { rows: 3, columns: 2, bytes: GOOD_CONTENT.length },
      }),
    ]);
    expect(ferrySync(['jobs', '--state-dir', stateDir]).stdout).toContain(' — 3 rows, 2 columns');

    // The receipts keep them, after the jobs are long cleared.
    const history = ferrySync(['history', '--format', 'json', '--state-dir', stateDir, '--config', config]);
    expect(JSON.parse(history.stdout)).toEqual([
      expect.objectContaining({
        file: GOOD,
        statistics: { rows: 3, columns: 2, bytes: GOOD_CONTENT.length },
      }),
    ]);
    expect(ferrySync(['history', '--state-dir', stateDir, '--config', config]).stdout).toContain(
      '3 rows, 2 columns',
    );
  });
});
