import { describe, expect, it } from 'vitest';
import { checkName, parseRule } from '../../src/shared/naming.js';

describe('checkName with the default rule', () => {
  it.each([
    [
      'Customers-2024-06-12-v1.csv',
      { descriptor: 'Customers', date: '2024-06-12', version: 'v1', ext: 'csv' },
    ],
    ['sales-20240612-3.ndjson.gz', { descriptor: 'sales', date: '20240612', version: '3', ext: 'ndjson.gz' }],
    ['leap-2024-02-29-1.json', { descriptor: 'leap', date: '2024-02-29', version: '1', ext: 'json' }],
    [
      'eu_sales-q2-2024-06-12-v10.json.gz',
      { descriptor: 'eu_sales-q2', date: '2024-06-12', version: 'v10', ext: 'json.gz' },
    ],
    // Parsed from the right: the last date and version win, the rest is the descriptor.
    [
      'a-2024-01-01-2-2024-01-02-3.csv',
      { descriptor: 'a-2024-01-01-2', date: '2024-01-02', version: '3', ext: 'csv' },
    ],
  ])('accepts %s', (name, parts) => {
    expect(checkName(name)).toEqual({ status: 'valid', parts });
  });

  it.each([
    ['Customers 2024-06-12 v1.CSV', 'bad-character', /a space at position 10/, 'Customers-2024-06-12-v1.csv'],
    [
      'Café-2024-06-12-v1.csv',
      'bad-character',
      /'é' \(U\+00E9, not ASCII\) at position 4/,
      'Cafe-2024-06-12-v1.csv',
    ],
    [
      'sales.2024-06-12.v1.csv',
      'bad-character',
      /'\.' at position 6; dots may appear only in the extension/,
      'sales-2024-06-12-v1.csv',
    ],
    [
      'sales-2024-06-12-v1.CSV',
      'bad-extension',
      /'\.CSV' must be lower-case: '\.csv'/,
      'sales-2024-06-12-v1.csv',
    ],
    [
      'sales-2024-06-12-v1.Json.GZ',
      'bad-extension',
      /lower-case: '\.json\.gz'/,
      'sales-2024-06-12-v1.json.gz',
    ],
    ['sales-2024-06-12-v1.xlsx', 'bad-extension', /'\.xlsx' is not accepted/, undefined],
    ['sales-2024-06-12-v1.gz', 'bad-extension', /'\.gz' is not accepted/, undefined],
    ['sales-2024-06-12-v1', 'missing-extension', /no extension/, undefined],
    [
      'sales-2024-02-30-v1.csv',
      'bad-date',
      /'2024-02-30' is not a real date: February 2024 has 29 days/,
      undefined,
    ],
    ['sales-2023-02-29-v1.csv', 'bad-date', /February 2023 has 28 days/, undefined],
    ['sales-2024-13-01-v1.csv', 'bad-date', /there is no month 13/, undefined],
    ['sales-20240431-v1.csv', 'bad-date', /April 2024 has 30 days/, undefined],
    [
      'sales-2024-6-12-v1.csv',
      'bad-date',
      /date '2024-6-12' must be written YYYY-MM-DD or YYYYMMDD/,
      'sales-2024-06-12-v1.csv',
    ],
    ['sales-12-06-2024-v1.csv', 'bad-date', /date '12-06-2024'/, undefined],
    ['sales-2024-06-12.csv', 'missing-version', /the version is missing/, 'sales-2024-06-12-v1.csv'],
    ['sales-2024-06-12-final.csv', 'bad-version', /version 'final' must be a number/, undefined],
    ['sales-v1.csv', 'missing-date', /the date is missing/, undefined],
    ['2024-06-12-v1.csv', 'missing-field', /the descriptor is missing/, undefined],
    [
      '_sales-2024-06-12-v1.csv',
      'bad-field',
      /descriptor '_sales' must start with a letter or digit/,
      'sales-2024-06-12-v1.csv',
    ],
    [
      'sales_2024-06-12_v1.csv',
      'bad-structure',
      /^parts are joined by '_' where the rule wants '-': names follow/,
      'sales-2024-06-12-v1.csv',
    ],
    ['sales-2024-06-12-v1-x.csv', 'bad-version', /version 'v1-x' must be a number/, undefined],
  ])('rejects %s as %s', (name, code, reason, suggestion) => {
    const verdict = checkName(name);
    expect(verdict).toMatchObject({
      status: 'rejected',
      code,
      reason: expect.stringMatching(reason) as unknown,
    });
    expect(verdict.status === 'rejected' ? verdict.suggestion : 'not rejected').toBe(suggestion);
  });

  it('rejects names over 255 bytes, counting bytes rather than characters', () => {
    const fits = `${'a'.repeat(255 - '-2024-01-01-1.csv'.length)}-2024-01-01-1.csv`;
    expect(checkName(fits).status).toBe('valid');
    expect(checkName(`a${fits}`)).toMatchObject({
      status: 'rejected',
      code: 'too-long',
      reason: /256 bytes/,
    });
    expect(checkName(`${'é'.repeat(130)}-2024-01-01-1.csv`)).toMatchObject({ code: 'too-long' });
  });

  it.each([
    ['.DS_Store', 'hidden file'],
    ['.sales-2024-06-12-v1.csv', 'hidden file'],
    ['~$sales-2024-06-12-v1.csv', 'office lock file'],
    ['sales-2024-06-12-v1.csv~', 'editor backup file'],
    ['sales-2024-06-12-v1.csv.tmp', 'temporary or partial file (.tmp)'],
    ['sales-2024-06-12-v1.csv.part', 'temporary or partial file (.part)'],
    ['sales-2024-06-12-v1.csv.crdownload', 'temporary or partial file (.crdownload)'],
    ['.sales.csv.swp', 'hidden file'],
    ['sales.csv.swp', 'temporary or partial file (.swp)'],
    ['upload.PARTIAL', 'temporary or partial file (.partial)'],
    ['Thumbs.db', 'operating system file'],
  ])('ignores %s (%s) instead of rejecting it', (name, reason) => {
    expect(checkName(name)).toEqual({ status: 'ignored', reason });
  });
});

describe('checkName with a folder rule', () => {
  const seed004 = parseRule('{provider}_{datasetType}_{date}.{ext}');

  it("accepts seed 004's example name", () => {
    expect(checkName('testprovider_transactions_2025-01-01.csv', seed004)).toEqual({
      status: 'valid',
      parts: { provider: 'testprovider', datasetType: 'transactions', date: '2025-01-01', ext: 'csv' },
    });
  });

  it('applies the same date and extension checks', () => {
    expect(checkName('testprovider_transactions_2025-02-29.csv', seed004)).toMatchObject({
      code: 'bad-date',
    });
    expect(checkName('testprovider_transactions_2025-01-01.CSV', seed004)).toMatchObject({
      code: 'bad-extension',
      suggestion: 'testprovider_transactions_2025-01-01.csv',
    });
    expect(checkName('testprovider_transactions.csv', seed004)).toMatchObject({ code: 'missing-date' });
  });

  it('treats a template without .{ext} as ending in .{ext}', () => {
    expect(parseRule('{provider}_{datasetType}_{date}').template).toBe(
      '{provider}_{datasetType}_{date}.{ext}',
    );
  });

  it('accepts literal text in the template and requires it', () => {
    const rule = parseRule('orders_{date}');
    expect(checkName('orders_2024-06-12.json', rule).status).toBe('valid');
    expect(checkName('order_2024-06-12.json', rule)).toMatchObject({ status: 'rejected' });
  });

  it('does not append a version the rule does not have', () => {
    const verdict = checkName('testprovider transactions 2025-01-01.csv', seed004);
    expect(verdict).toMatchObject({ code: 'bad-character' });
    expect(verdict.status === 'rejected' ? verdict.suggestion : undefined).toBe(
      'testprovider_transactions_2025-01-01.csv',
    );
  });
});

describe('near misses: the parts are there, joined or placed otherwise than the rule wants', () => {
  const seed004 = parseRule('{provider}_{datasetType}_{date}.{ext}');
  const reasonOf = (verdict: ReturnType<typeof checkName>) =>
    verdict.status === 'rejected' ? verdict.reason : '';

  it("tells seed 004's own example that its parts are joined by '_', not that its date is missing", () => {
    const verdict = checkName('testprovider_transactions_2025-01-01.csv');
    expect(verdict).toMatchObject({
      status: 'rejected',
      code: 'bad-structure',
      suggestion: 'testprovider_transactions-2025-01-01-v1.csv',
    });
    expect(reasonOf(verdict)).toBe(
      "parts are joined by '_' where the rule wants '-', and the version is missing: names follow {descriptor}-{date}-{version}.{ext}, e.g. customers-2024-06-12-v1.csv; the name fits {provider}_{datasetType}_{date}.{ext}, which a folder can have as its own rule",
    );
    expect(reasonOf(verdict)).not.toContain('the date is missing');
  });

  it.each([
    // rule, name, what is said, the suggestion
    [
      undefined,
      'customers_2024-01-31-v1.csv',
      "parts are joined by '_' where the rule wants '-'",
      'customers-2024-01-31-v1.csv',
    ],
    [
      undefined,
      'customers-2024-01-31_v1.csv',
      "parts are joined by '_' where the rule wants '-'",
      'customers-2024-01-31-v1.csv',
    ],
    [
      undefined,
      'sales_v1.csv',
      "parts are joined by '_' where the rule wants '-', and the date is missing",
      undefined,
    ],
    [
      undefined,
      'sales2024-06-12-v1.csv',
      "the date '2024-06-12' needs '-' before it",
      'sales-2024-06-12-v1.csv',
    ],
    [
      undefined,
      'sales-2024-06-12v1.csv',
      "the date '2024-06-12' needs '-' after it",
      'sales-2024-06-12-v1.csv',
    ],
    [undefined, '2024-06-12-sales-v1.csv', "the date '2024-06-12' is not where the rule puts it", undefined],
    [
      seed004,
      'testprovider-transactions-2025-01-01.csv',
      "parts are joined by '-' where the rule wants '_'",
      'testprovider_transactions_2025-01-01.csv',
    ],
    [
      seed004,
      'eu_sales-2024-06-12.csv',
      "parts are joined by '-' where the rule wants '_'",
      'eu_sales_2024-06-12.csv',
    ],
    [seed004, 'sales2024-06-12.csv', "the date '2024-06-12' needs '_' before it", undefined],
  ])('under %s, %s: %s', (rule, name, said, suggestion) => {
    const verdict = checkName(name, rule);
    expect(verdict).toMatchObject({ status: 'rejected', code: 'bad-structure' });
    expect(reasonOf(verdict)).toMatch(
      new RegExp(`^${said.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: names follow`),
    );
    expect(verdict.status === 'rejected' ? verdict.suggestion : 'not rejected').toBe(suggestion);
  });

  it("keeps a descriptor's own underscores out of it: only the missing version is named", () => {
    const verdict = checkName('eu_sales-2024-06-12.csv');
    expect(verdict).toMatchObject({ code: 'missing-version', suggestion: 'eu_sales-2024-06-12-v1.csv' });
    expect(reasonOf(verdict)).not.toContain('joined');
  });

  it('names a common rule the name fits only when the name is refused for its shape', () => {
    expect(reasonOf(checkName('sales_2024-06-12_v1.csv'))).toContain(
      '; the name fits {descriptor}_{date}_{version}.{ext}, which a folder can have as its own rule',
    );
    expect(reasonOf(checkName('customers-2024-06-12-v1.csv', seed004))).toContain(
      'the name fits {descriptor}-{date}-{version}.{ext}',
    );
    // A bad date is not a matter of shape: no other rule accepts it either.
    expect(reasonOf(checkName('sales_2024-02-30_v1.csv'))).not.toContain('fits');
    expect(reasonOf(checkName('sales-2024-06-12.csv'))).not.toContain('fits');
  });
});
