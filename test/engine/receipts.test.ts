import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../src/engine/delivery-ledger.js';
import { receiptsOf } from '../../src/engine/receipts.js';
import { parseRule } from '../../src/shared/naming.js';
import { csvField, receiptsCsv } from '../../src/shared/receipts.js';

let seq = 0;
function delivered(path: string, extra: Partial<LedgerEntry> = {}): LedgerEntry {
  seq += 1;
  return {
    sha256: String(seq).padStart(64, '0'),
    path,
    size: 100 + seq,
    mtimeMs: 1,
    remoteId: `r${seq}`,
    target: 'lexer',
    deliveredAt: Date.UTC(2026, 11, 3, 9, 0, seq),
    ...extra,
  };
}

const noRules = () => undefined;

describe('receiptsOf', () => {
  it('marks a higher version of a delivered descriptor and date as its correction', () => {
    const entries = [
      delivered('/out/customers-2026-12-03-v1.csv', { folder: '/out', attempts: 1 }),
      delivered('/out/orders-2026-12-03-v1.csv'),
      delivered('/out/customers-20261203-v2.csv', { folder: '/out', attempts: 3 }),
      // The same version again (a re-upload on purpose) corrects nothing.
      delivered('/out/customers-2026-12-03-v2.csv', { folder: '/out' }),
      // Another day, another folder, another target: no correction.
      delivered('/out/customers-2026-12-04-v3.csv', { folder: '/out' }),
      delivered('/other/customers-2026-12-03-v5.csv'),
      delivered('/out/customers-2026-12-03-v9.csv', { folder: '/out', target: 'analytics' }),
    ];
    const receipts = receiptsOf(entries, noRules);
    expect(receipts.map((r) => [r.file, r.redeliveryOf ?? '-'])).toEqual([
      ['customers-2026-12-03-v1.csv', '-'],
      ['orders-2026-12-03-v1.csv', '-'],
      ['customers-20261203-v2.csv', 'customers-2026-12-03-v1.csv'],
      ['customers-2026-12-03-v2.csv', '-'],
      ['customers-2026-12-04-v3.csv', '-'],
      ['customers-2026-12-03-v5.csv', '-'],
      ['customers-2026-12-03-v9.csv', '-'],
    ]);
    expect(receipts[2]).toMatchObject({ folder: '/out', attempts: 3, target: 'lexer', remoteId: 'r3' });
  });

  it("reads names by their folder's rule", () => {
    const rule = parseRule('{provider}_{descriptor}_{date}_{version}.{ext}');
    const entries = [
      delivered('/in/acme_sales_2026-12-03_1.csv', { folder: '/in' }),
      delivered('/in/acme_sales_2026-12-03_2.csv', { folder: '/in' }),
    ];
    const receipts = receiptsOf(entries, (folder) => (folder === '/in' ? rule : undefined));
    expect(receipts[1]?.redeliveryOf).toBe('acme_sales_2026-12-03_1.csv');
  });

  it('filters by time, folder and target after marking corrections', () => {
    const entries = [
      delivered('/out/customers-2026-12-03-v1.csv', { folder: '/out', deliveredAt: Date.UTC(2026, 11, 1) }),
      delivered('/out/customers-2026-12-03-v2.csv', { folder: '/out', deliveredAt: Date.UTC(2026, 11, 3) }),
      delivered('/b/x-2026-12-03-v1.csv', {
        folder: '/b',
        target: 'other',
        deliveredAt: Date.UTC(2026, 11, 3),
      }),
    ];
    const since = Date.UTC(2026, 11, 2);
    expect(receiptsOf(entries, noRules, { since }).map((r) => [r.file, r.redeliveryOf])).toEqual([
      ['customers-2026-12-03-v2.csv', 'customers-2026-12-03-v1.csv'],
      ['x-2026-12-03-v1.csv', undefined],
    ]);
    expect(receiptsOf(entries, noRules, { until: since }).map((r) => r.file)).toEqual([
      'customers-2026-12-03-v1.csv',
    ]);
    expect(receiptsOf(entries, noRules, { folder: '/b' }).map((r) => r.file)).toEqual([
      'x-2026-12-03-v1.csv',
    ]);
    expect(receiptsOf(entries, noRules, { target: 'lexer' })).toHaveLength(2);
  });
});

describe('receipts as CSV', () => {
  it('quotes as RFC 4180 asks: commas, quotes and line breaks; CRLF after each record', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    const csv = receiptsCsv([
      {
        file: 'customers-2026-12-03-v2.csv',
        path: '/out,x/customers-2026-12-03-v2.csv',
        folder: '/out,x',
        target: 'lexer',
        size: 12,
        sha256: 'ab',
        remoteId: 'id "7"',
        deliveredAt: Date.UTC(2026, 11, 3, 9, 0, 0),
        attempts: 2,
        statistics: { rows: 10, columns: 3 },
        redeliveryOf: 'customers-2026-12-03-v1.csv',
      },
    ]);
    expect(csv).toBe(
      'delivered_at,file,folder,target,size,sha256,remote_id,attempts,statistics,redelivery_of\r\n' +
        '2026-12-03T09:00:00.000Z,customers-2026-12-03-v2.csv,"/out,x",lexer,12,ab,"id ""7""",2,rows=10;columns=3,customers-2026-12-03-v1.csv\r\n',
    );
  });
});
