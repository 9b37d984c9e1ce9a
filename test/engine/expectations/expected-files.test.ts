import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/engine/config/validate-config.js';
import { expectationOf, folderExpectations } from '../../../src/engine/expectations/expected-files.js';
import { parseRule } from '../../../src/shared/naming.js';

const folder = { path: '/data/out', rule: parseRule('{descriptor}-{date}-{version}.{ext}') };

/** Each `every` as the config writes it, through the schema, into its cadence. */
function cadenceOf(every: string, on?: string | number) {
  const config = validateConfig({
    targets: { t: { profile: 'lexer', endpoint: 'https://api.lexer.io/v1/uploads' } },
    folders: [
      {
        path: '/data/out',
        target: 't',
        expect: [{ descriptor: 'x', every, by: '09:00', ...(on === undefined ? {} : { on }) }],
      },
    ],
  });
  const [expectation] = config.folders[0]?.expect ?? [];
  if (expectation === undefined) throw new Error('no expectation');
  return expectationOf(expectation, folder, 'UTC').cadence;
}

describe('the config read into expectations', () => {
  it('reads every form of every', () => {
    expect(cadenceOf('day')).toEqual({ kind: 'weekdays', days: [0, 1, 2, 3, 4, 5, 6] });
    expect(cadenceOf('mon-fri')).toEqual({ kind: 'weekdays', days: [1, 2, 3, 4, 5] });
    expect(cadenceOf('mon,wed,fri')).toEqual({ kind: 'weekdays', days: [1, 3, 5] });
    expect(cadenceOf('fri-mon')).toEqual({ kind: 'weekdays', days: [0, 1, 5, 6] });
    expect(cadenceOf('week', 'thu')).toEqual({ kind: 'weekdays', days: [4] });
    expect(cadenceOf('month', 31)).toEqual({ kind: 'monthly', on: 31 });
  });

  it('reads by to the second, the zone (the local one without it) and the date', () => {
    expect(
      expectationOf(
        {
          descriptor: 'orders',
          every: 'day',
          by: '07:30:15',
          timezone: 'Europe/London',
          date: 'previous-day',
        },
        folder,
        'UTC',
      ),
    ).toEqual({
      folder: '/data/out',
      rule: folder.rule,
      descriptor: 'orders',
      cadence: { kind: 'weekdays', days: [0, 1, 2, 3, 4, 5, 6] },
      by: 7 * 3600 + 30 * 60 + 15,
      timeZone: 'Europe/London',
      dated: 'previous-day',
    });
    const [local] = folderExpectations(
      [{ ...folder, expect: [{ descriptor: 'c', every: 'day', by: '09:00' }] }],
      'Asia/Tokyo',
    );
    expect(local).toMatchObject({ timeZone: 'Asia/Tokyo', dated: 'delivery-day' });
    expect(folderExpectations([folder], 'UTC')).toEqual([]);
  });
});
