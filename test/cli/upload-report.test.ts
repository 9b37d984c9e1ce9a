import { describe, expect, it } from 'vitest';
import {
  formatProgress,
  formatStateLine,
  formatUploadLine,
  formatUploadSummary,
  toUploadRecord,
} from '../../src/cli/upload-report.js';

describe('upload report', () => {
  it('turns final states into records and refuses the others', () => {
    expect(toUploadRecord('a.csv', { status: 'completed', remoteId: '7' })).toEqual({
      file: 'a.csv',
      status: 'completed',
      remoteId: '7',
    });
    expect(toUploadRecord('a.csv', { status: 'paused' })).toEqual({ file: 'a.csv', status: 'paused' });
    expect(() => toUploadRecord('a.csv', { status: 'queued' })).toThrow("non-final state 'queued'");
  });

  it('prints one line per outcome and a summary', () => {
    expect(formatUploadLine({ file: 'a.csv', status: 'completed', remoteId: '7' })).toBe(
      '✓ delivered  a.csv (remote id 7)\n',
    );
    expect(
      formatUploadLine({ file: 'b.csv', status: 'failed', error: { kind: 'server', message: 'HTTP 503' } }),
    ).toBe('✗ failed     b.csv\n            server: HTTP 503\n');
    expect(
      formatUploadSummary([
        { file: 'a', status: 'completed', remoteId: '1' },
        { file: 'b', status: 'rejected', reason: 'empty' },
        { file: 'c', status: 'paused' },
      ]),
    ).toBe('3 file(s): 1 delivered, 0 failed, 1 rejected, 1 interrupted\n');
  });

  it("keeps the vendor's receipt and prints its figures after the remote id", () => {
    const state = {
      status: 'completed',
      remoteId: 'file-9',
      taskId: 'task-9',
      statistics: { rows: 12_345, columns: 8 },
    } as const;
    const record = toUploadRecord('a.csv', state);
    expect(record).toEqual({ file: 'a.csv', ...state });
    expect(formatUploadLine(record)).toBe('✓ delivered  a.csv (remote id file-9) — 12,345 rows, 8 columns\n');
  });

  it('shows progress with rate and time left once known', () => {
    expect(formatProgress({ sent: 0, total: 2048, bytesPerSecond: undefined, etaMs: undefined })).toBe(
      '  0 B / 2 KiB  0%',
    );
    expect(
      formatProgress({
        sent: 5 * 1024 ** 2,
        total: 20 * 1024 ** 2,
        bytesPerSecond: 1024 ** 2,
        etaMs: 75_000,
      }),
    ).toBe('  5 MiB / 20 MiB  25%  1 MiB/s  ETA 1m15s');
  });

  it('tells a pipe about retries and re-sends', () => {
    const error = { kind: 'network', message: 'network error ECONNRESET' };
    expect(formatStateLine({ status: 'retry-wait', at: 3_500, attempt: 2, error }, 1_000)).toBe(
      '  retry 2 in 3s: network error ECONNRESET\n',
    );
    expect(formatStateLine({ status: 'waiting-for-write' }, 0)).toContain('sending it again');
    expect(formatStateLine({ status: 'completed', remoteId: '1' }, 0)).toBeUndefined();
  });
});
