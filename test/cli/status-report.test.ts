import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../src/cli/status-report.js';
import type { ExpectationStatus } from '../../src/shared/expectations.js';

const at = (iso: string) => new Date(iso).getTime();

describe('ferry status as text', () => {
  it("lists each expectation's state now, then a grid whose marks sit under their dates", () => {
    const statuses: ExpectationStatus[] = [
      {
        folder: '/out',
        descriptor: 'customers',
        date: '2026-12-02',
        due: at('2026-12-02T09:00'),
        state: 'missing',
      },
      {
        folder: '/out',
        descriptor: 'customers',
        date: '2026-12-03',
        due: at('2026-12-03T09:00'),
        state: 'late',
        cause: 'no-file',
        reason: 'no customers file dated 2026-12-03 in /out',
      },
      {
        folder: '/out',
        descriptor: 'orders',
        date: '2026-12-03',
        due: at('2026-12-03T07:30'),
        state: 'delivered',
        deliveredAt: at('2026-12-03T07:02'),
        file: 'orders-2026-12-03-v1.csv',
      },
    ];
    expect(formatStatus(statuses)).toBe(
      [
        'Now',
        '  /out',
        '    ! customers  2026-12-03  late, due 2026-12-03 09:00: no customers file dated 2026-12-03 in /out',
        '    ✓ orders     2026-12-03  delivered 2026-12-03 07:02 (orders-2026-12-03-v1.csv)',
        '',
        'Days           12-02 12-03',
        '  /out',
        '    customers    ✗     !',
        '    orders       -     ✓',
        '',
        '✓ delivered  · not due yet  ! late  ✗ missing  - not expected that day',
        '',
      ].join('\n'),
    );
  });

  it('says how to expect files when no folder does', () => {
    expect(formatStatus([])).toContain('add "expect" to a folder');
  });
});
