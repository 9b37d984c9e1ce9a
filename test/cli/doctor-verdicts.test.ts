import { describe, expect, it } from 'vitest';
import { formatDoctorReport, doctorPassed, fail, pass, skip } from '../../src/cli/doctor-report.js';
import {
  autoLoadVerdict,
  clockVerdict,
  diskVerdict,
  MIN_FREE_BYTES,
  reachVerdict,
  tlsVerdict,
  tokenAnswerVerdict,
  watchLimitVerdict,
} from '../../src/cli/doctor-verdicts.js';
import { DeliveryError } from '../../src/engine/delivery-error.js';

const NOW = Date.parse('2026-01-10T12:00:00Z');
const failed = (error: unknown) => ({ answered: false, error }) as const;
const answered = (status: number) => ({ answered: true, answer: { status, date: undefined } }) as const;
const refused = failed(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

describe('doctor verdicts', () => {
  it('judges the clock against the endpoint Date, with a 5-minute allowance', () => {
    expect(clockVerdict(NOW, new Date(NOW - 90_000).toUTCString()).status).toBe('pass');
    const ahead = clockVerdict(NOW, new Date(NOW - 20 * 60_000).toUTCString());
    expect(ahead).toMatchObject({ status: 'fail', detail: '1200 s ahead of the endpoint' });
    expect(ahead.fix).toContain('timedatectl set-ntp true');
    expect(clockVerdict(NOW, undefined).status).toBe('skip');
  });

  it('wants half the inotify limit free for other programs', () => {
    expect(watchLimitVerdict('/f', 4_000, 8_192).status).toBe('pass');
    const tight = watchLimitVerdict('/f', 5_000, 8_192);
    expect(tight.status).toBe('fail');
    expect(tight.fix).toContain('sysctl -w fs.inotify.max_user_watches=524288');
    expect(watchLimitVerdict('/f', 5, undefined).status).toBe('skip');
  });

  it('wants a lexer folder to send what Lexer loads NDJSON with, and gives the lines to add', () => {
    const missing = autoLoadVerdict('/out', { fields: { dataset_id: 'ds-1' } }, 'lexer');
    expect(missing).toMatchObject({
      status: 'fail',
      title: 'automatic loading of /out',
      detail: expect.stringContaining("this folder's fields lack record_type") as unknown,
      fix: 'add to the folder "fields": { "dataset_id": "ds-1", "record_type": "<record type>" } (or "loading": "manual" if its files are loaded by hand)',
    });
    expect(autoLoadVerdict('/out', { fields: { dataset_id: 'a', record_type: 'b' } }, 'lexer')).toEqual(
      pass('automatic loading of /out', 'dataset_id and record_type are sent'),
    );
    expect(autoLoadVerdict('/out', { fields: {}, loading: 'manual' }, 'lexer')?.status).toBe('skip');
    expect(autoLoadVerdict('/out', { fields: {}, ignore: ['*.json*', '*.ndjson*'] }, 'lexer')?.detail).toBe(
      'its ignore globs leave no .ndjson or .json file to send',
    );
    expect(autoLoadVerdict('/out', { fields: {} }, 'analytics')).toBeUndefined();
  });

  it('wants room for state and logs', () => {
    expect(diskVerdict('/s', MIN_FREE_BYTES).status).toBe('pass');
    expect(diskVerdict('/s', MIN_FREE_BYTES - 1).status).toBe('fail');
  });

  it('tells a proxy that is down from an endpoint that is down', () => {
    const endpoint = 'https://api.example.com/v1/uploads';
    expect(reachVerdict(endpoint, undefined, refused).fix).toContain('check the endpoint URL');
    expect(reachVerdict(endpoint, 'proxy:3128', refused).fix).toContain('start the proxy');
    const upstream = new DeliveryError('network', 'the proxy could not connect (502)', { code: 'EPROXY' });
    expect(reachVerdict(endpoint, 'proxy:3128', failed(upstream)).fix).toContain(
      'the proxy cannot reach api.example.com',
    );
    expect(reachVerdict(endpoint, undefined, answered(405)).status).toBe('pass');
  });

  it('fails TLS only on a certificate error', () => {
    const endpoint = 'https://api.example.com/v1/uploads';
    const bad = Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' });
    expect(tlsVerdict(endpoint, failed(bad))).toMatchObject({ status: 'fail', detail: 'CERT_HAS_EXPIRED' });
    expect(tlsVerdict(endpoint, refused).status).toBe('skip');
    expect(tlsVerdict('http://127.0.0.1:1/x', answered(200)).status).toBe('skip');
  });

  it('takes any refusal but 401/403 and 5xx as the token getting through', () => {
    expect(tokenAnswerVerdict('t', answered(400)).status).toBe('pass');
    expect(tokenAnswerVerdict('t', answered(401)).status).toBe('fail');
    expect(tokenAnswerVerdict('t', answered(403)).status).toBe('fail');
    expect(tokenAnswerVerdict('t', answered(503)).status).toBe('fail');
    expect(tokenAnswerVerdict('t', refused).status).toBe('skip');
  });

  it('formats ✓/✗/– with a fix line under each failure', () => {
    const checks = [pass('a', 'fine'), fail('b', 'broken', 'do x'), skip('c', 'n/a')];
    expect(formatDoctorReport(checks)).toBe(
      '✓ a: fine\n✗ b: broken\n    fix: do x\n– c: n/a\n1 check failed\n',
    );
    expect(doctorPassed(checks)).toBe(false);
    expect(doctorPassed([pass('a')])).toBe(true);
  });
});
