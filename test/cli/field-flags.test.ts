import { describe, expect, it } from 'vitest';
import { collectField, fieldFlags } from '../../src/cli/field-flags.js';
import { UsageError } from '../../src/cli/exit-codes.js';

describe('--field', () => {
  it('collects repeated flags into folder fields; the value may hold =, the last of a key wins', () => {
    const given = ['datasetType=transactions', 'note=a=b', 'datasetType=orders'].reduce<string[]>(
      (all, value) => collectField(value, all),
      [],
    );
    expect(fieldFlags(given)).toEqual({ datasetType: 'orders', note: 'a=b' });
    expect(fieldFlags(['empty='])).toEqual({ empty: '' });
    expect(fieldFlags()).toEqual({});
  });

  it.each(['datasetType', '=x', '1st=x', 'data-set=x'])('refuses %s as a usage error naming it', (text) => {
    expect(() => fieldFlags([text])).toThrow(UsageError);
    expect(() => fieldFlags([text])).toThrow(`got '${text}'`);
  });
});
