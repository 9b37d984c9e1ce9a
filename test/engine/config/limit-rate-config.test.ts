import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/engine/config/validate-config.js';
import { ConfigError } from '../../../src/shared/config.js';

const base = { targets: { t: { profile: 'lexer', endpoint: 'https://api.example.com/v1/uploads' } } };

describe('the limitRate key', () => {
  it('reads a curl-style rate into bytes per second', () => {
    expect(validateConfig({ ...base, limitRate: '5M' }).limitRate).toBe(5 * 1024 * 1024);
    expect(validateConfig(base).limitRate).toBeUndefined();
  });

  it('names a bad rate by its key', () => {
    expect(() => validateConfig({ ...base, limitRate: 'lots' })).toThrow(ConfigError);
    expect(() => validateConfig({ ...base, limitRate: 'lots' })).toThrow(/^limitRate: 'lots' is not a rate/);
  });
});
