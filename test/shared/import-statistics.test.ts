import { describe, expect, it } from 'vitest';
import { formatStatistics } from '../../src/shared/import-statistics.js';

describe('formatStatistics', () => {
  it('reads numbers with thousands separators, in the order the vendor gave them', () => {
    expect(formatStatistics({ rows: 12_345, columns: 8, bytes: 1_048_576 })).toBe(
      '12,345 rows, 8 columns, 1,048,576 bytes',
    );
  });

  it("turns the vendor's key names into words", () => {
    expect(
      formatStatistics({ rowsImported: 3, rejected_rows: 0, encoding: 'UTF-8', deduplicated: true }),
    ).toBe('3 rows imported, 0 rejected rows, encoding UTF-8, deduplicated true');
  });

  it('leaves out what one line cannot show, and says nothing when there is nothing', () => {
    expect(formatStatistics({ rows: 2, perColumn: { id: 2 }, warnings: ['BOM'], note: null })).toBe('2 rows');
    expect(formatStatistics({})).toBe('');
    expect(formatStatistics(undefined)).toBe('');
  });
});
