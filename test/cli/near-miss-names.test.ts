import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { ferryRun } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * Seed 004's own example name, `testprovider_transactions_2025-01-01.csv`, under the default
 * rule: its date is there, its parts are joined by '_'. Ferry says so, proposes a fixed name,
 * and names the folder rule the file does follow; nothing reaches the vendor.
 */
let sandbox: RunningSandbox;
const tempDir = useTempDir('near-miss');

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, log: () => undefined });
});

afterAll(async () => {
  await sandbox.close();
});

const NAME = 'testprovider_transactions_2025-01-01.csv';
const REASON =
  "parts are joined by '_' where the rule wants '-', and the version is missing: names follow {descriptor}-{date}-{version}.{ext}, e.g. customers-2024-06-12-v1.csv; the name fits {provider}_{datasetType}_{date}.{ext}, which a folder can have as its own rule";

describe("seed 004's example name under the default rule", () => {
  it('is refused by ferry upload with the separator named, the suggestion and the rule it fits, before any request', async () => {
    const file = join(await tempDir(), NAME);
    await writeFile(file, 'date,amount\n2025-01-01,10\n');
    const run = await ferryRun(
      ['upload', file, '--endpoint', `${sandbox.endpoint}/v1/uploads`, '--profile', 'lexer', '--json'],
      { FERRY_TOKEN: sandbox.token },
    );
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual([
      {
        file,
        status: 'rejected',
        reason: `${REASON} (suggestion: testprovider_transactions-2025-01-01-v1.csv)`,
      },
    ]);
    expect(run.stdout).not.toContain('the date is missing');
    expect((await sandbox.deliveries()).filter((d) => d.filename === NAME)).toEqual([]);
  });

  it('is explained the same by ferry check, and passes under the rule it fits', async () => {
    const file = join(await tempDir(), NAME);
    await writeFile(file, 'date,amount\n2025-01-01,10\n');
    const refused = await ferryRun(['check', file]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(`bad-structure: ${REASON}\n`);
    expect(refused.stdout).toContain('suggestion: testprovider_transactions-2025-01-01-v1.csv');
    const fitting = await ferryRun(['check', '--rule', '{provider}_{datasetType}_{date}.{ext}', file]);
    expect(fitting.code).toBe(0);
  });
});
