import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/engine/config/validate-config.js';
import { ConfigError } from '../../../src/shared/config.js';

const base = { targets: { t: { profile: 'lexer', endpoint: 'https://api.example.com/v1/uploads' } } };

function issues(proxy: unknown): string[] {
  try {
    validateConfig({ ...base, proxy });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.problem}`);
    throw error;
  }
  return [];
}

describe('the proxy key', () => {
  it('accepts a proxy URL with credentials and a noProxy list', () => {
    const config = validateConfig({
      ...base,
      proxy: { url: 'http://u:p@proxy:3128', noProxy: ['internal'] },
    });
    expect(config.proxy).toEqual({ url: 'http://u:p@proxy:3128', noProxy: ['internal'] });
  });

  it('is absent when not given', () => {
    expect(validateConfig(base).proxy).toBeUndefined();
  });

  it('names each problem by key, never echoing a URL that may hold a password', () => {
    expect(issues({ url: 'proxy host with spaces', nope: 1 })).toEqual([
      'proxy.nope: unknown key (expected one of: url, noProxy)',
      'proxy.url: is not a URL (expected http://[user:password@]host:port)',
    ]);
    expect(issues({ url: 'socks5://p:1' })).toEqual(['proxy.url: must be an http:// or https:// URL']);
    expect(issues({ url: 'http://p:1/path' })).toEqual([
      'proxy.url: must name only the proxy: no path or query',
    ]);
    expect(issues({ url: 'http://p:1', noProxy: 'a,b' })).toEqual([
      'proxy.noProxy: must be an array of host names',
    ]);
    expect(issues('http://p:1')).toEqual([
      'proxy: must be an object: { "url": "http://host:port", "noProxy": [...] }',
    ]);
  });
});
