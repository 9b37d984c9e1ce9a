import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/engine/config/validate-config.js';
import { ConfigError } from '../../../src/shared/config.js';

const TARGETS = { lexer: { profile: 'lexer', endpoint: 'https://api.lexer.io/v1/uploads' } };

function withExpect(expect: unknown, rule?: string) {
  const folder = { path: '/data/out', target: 'lexer', ...(rule === undefined ? {} : { rule }) };
  return { targets: TARGETS, folders: [expect === undefined ? folder : { ...folder, expect }] };
}

function issuesOf(value: unknown): string[] {
  try {
    validateConfig(value);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.problem}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('a folder\'s "expect"', () => {
  it('takes each form of every, a zone and previous-day, kept as written', () => {
    const expected = [
      { descriptor: 'customers', every: 'day', by: '09:00' },
      { descriptor: 'orders', every: 'mon-fri', by: '07:30', timezone: 'Europe/London' },
      { descriptor: 'stock', every: 'mon,wed,fri', by: '12:00:30', date: 'previous-day' },
      { descriptor: 'weekly', every: 'week', on: 'mon', by: '10:00' },
      { descriptor: 'monthly', every: 'month', on: 1, by: '06:00' },
    ];
    expect(validateConfig(withExpect(expected)).folders[0]?.expect).toEqual(expected);
  });

  it('is optional', () => {
    expect(validateConfig(withExpect(undefined)).folders[0]?.expect).toBeUndefined();
  });

  it('names each bad key', () => {
    expect(
      issuesOf(
        withExpect([
          { descriptor: '-x', every: 'fortnight', by: '9am', timezone: 'Europe/Lundon' },
          { descriptor: 'w', every: 'week', by: '24:00' },
          { descriptor: 'm', every: 'month', on: 32, by: '06:00' },
          { descriptor: 'd', every: 'day', on: 'mon', by: '06:00', date: 'yesterday', extra: 1 },
        ]),
      ),
    ).toEqual([
      "folders[0].expect[0].descriptor: must be a descriptor: a letter or digit, then letters, digits, '_' or '-'",
      'folders[0].expect[0].every: must be day, week, month, or days such as mon-fri or mon,wed,fri',
      'folders[0].expect[0].by: must be a local time such as 09:00 (or 09:00:30), 00:00 to 23:59:59',
      "folders[0].expect[0].timezone: unknown time zone 'Europe/Lundon' (an IANA name such as Europe/London)",
      'folders[0].expect[1].on: must be a day of the week (mon … sun) with "every": "week"',
      'folders[0].expect[1].by: must be a local time such as 09:00 (or 09:00:30), 00:00 to 23:59:59',
      'folders[0].expect[2].on: must be a day of the month, 1 to 31, with "every": "month"',
      'folders[0].expect[3].extra: unknown key (expected one of: descriptor, every, on, by, timezone, date)',
      'folders[0].expect[3].on: only applies with "every": "week" or "month"',
      "folders[0].expect[3].date: must be one of 'delivery-day', 'previous-day'",
    ]);
  });

  it('refuses a descriptor expected twice, and a rule without {descriptor} or {date}', () => {
    const daily = { descriptor: 'customers', every: 'day', by: '09:00' };
    expect(issuesOf(withExpect([daily, daily]))).toEqual([
      "folders[0].expect[1].descriptor: 'customers' is expected twice in this folder",
    ]);
    expect(issuesOf(withExpect([daily], '{provider}_{datasetType}_{date}'))).toEqual([
      "folders[0].expect: needs a rule with {descriptor} and {date}; '{provider}_{datasetType}_{date}' has no {descriptor}",
    ]);
  });

  it('is a bounded list', () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ descriptor: `d${i}`, every: 'day', by: '09:00' }));
    expect(issuesOf(withExpect(many))).toEqual(['folders[0].expect: must list at most 100 expected files']);
  });
});
