import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Runs the real `ferry` bin (built by `npm run build`, as `npm test` does first). */
function ferry(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/ferry.js', ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const FIXTURE = 'test/fixtures/mixed-names';

describe('ferry check', () => {
  it('reports every file of a folder of mixed names and exits 1 when any is rejected', () => {
    const { code, stdout, stderr } = ferry('check', FIXTURE);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toContain(`✓ valid     ${FIXTURE}/Customers-2024-06-12-v1.csv`);
    expect(stdout).toContain(`✗ rejected  ${FIXTURE}/Customers 2024-06-12 v1.CSV`);
    expect(stdout).toContain('suggestion: Customers-2024-06-12-v1.csv');
    expect(stdout).toContain("bad-date: '2024-02-30' is not a real date: February 2024 has 29 days");
    expect(stdout).toContain(`- ignored   ${FIXTURE}/~$budget.csv (office lock file)`);
    expect(stdout).toMatch(/8 checked: 2 valid, 4 rejected, 2 ignored\n$/);
  });

  it('prints the documented JSON records with --json', () => {
    const { code, stdout } = ferry('check', '--json', FIXTURE);
    expect(code).toBe(1);
    const records = JSON.parse(stdout) as Record<string, unknown>[];
    expect(records).toHaveLength(8);
    expect(records).toContainEqual({
      file: `${FIXTURE}/Customers 2024-06-12 v1.CSV`,
      status: 'rejected',
      code: 'bad-character',
      reason: expect.stringContaining('a space at position 10') as unknown,
      suggestion: 'Customers-2024-06-12-v1.csv',
    });
    expect(records).toContainEqual({
      file: `${FIXTURE}/transactions-20240612-2.ndjson`,
      status: 'valid',
      parts: { descriptor: 'transactions', date: '20240612', version: '2', ext: 'ndjson' },
    });
    expect(records).toContainEqual({
      file: `${FIXTURE}/stock-2024-06-12-v3.csv.part`,
      status: 'ignored',
      reason: 'temporary or partial file (.part)',
    });
  });

  it('exits 0 when every file is valid or ignored, and checks folders non-recursively', () => {
    const folder = mkdtempSync(join(tmpdir(), 'ferry-check-'));
    writeFileSync(join(folder, 'a-2024-01-01-1.csv'), 'x');
    writeFileSync(join(folder, '.hidden'), 'x');
    const nested = mkdtempSync(join(folder, 'nested-'));
    writeFileSync(join(nested, 'bad name.csv'), 'x');
    const { code, stdout } = ferry('check', folder);
    expect(code).toBe(0);
    expect(stdout).toMatch(/2 checked: 1 valid, 0 rejected, 1 ignored/);
  });

  it('checks named files against a custom --rule', () => {
    const folder = mkdtempSync(join(tmpdir(), 'ferry-check-'));
    const file = join(folder, 'testprovider_transactions_2025-01-01.csv');
    writeFileSync(file, 'x');
    expect(ferry('check', file).code).toBe(1);
    expect(ferry('check', '--rule', '{provider}_{datasetType}_{date}.{ext}', file).code).toBe(0);
  });

  it.each([
    [['check'], /missing required argument 'paths'/],
    [['check', '--nope', FIXTURE], /unknown option '--nope'/],
    [['check', 'no/such/path'], /no such file or folder: no\/such\/path/],
    [['check', '--rule', '{a}{b}', FIXTURE], /fields must be separated/],
  ])('exits 2 with a message on stderr for ferry %j', (args, message) => {
    const { code, stdout, stderr } = ferry(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });
});
