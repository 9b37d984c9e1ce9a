import { describe, expect, it } from 'vitest';
import { bypassesProxy, proxyFor, proxySettings } from '../../src/node/proxy-settings.js';

const url = (text: string) => new URL(text);

describe('proxySettings', () => {
  it('reads the lower-case variables before the upper-case ones, skipping empty ones', () => {
    const settings = proxySettings({
      http_proxy: '',
      HTTP_PROXY: 'http://upper:3128',
      https_proxy: 'lower:3129',
      HTTPS_PROXY: 'http://upper:3128',
      NO_PROXY: 'a.example, b.example',
    });
    expect(settings).toEqual({
      http: 'http://upper:3128',
      https: 'http://lower:3129',
      noProxy: ['a.example', 'b.example'],
    });
  });

  it('falls back to ALL_PROXY', () => {
    expect(proxySettings({ ALL_PROXY: 'http://all:1' })).toMatchObject({
      http: 'http://all:1',
      https: 'http://all:1',
    });
  });

  it('lets the config proxy override the environment, keeping NO_PROXY unless the config sets its own', () => {
    const env = { HTTPS_PROXY: 'http://env:1', NO_PROXY: 'env.example' };
    expect(proxySettings(env, { url: 'http://u:p@conf:2' })).toEqual({
      http: 'http://u:p@conf:2',
      https: 'http://u:p@conf:2',
      noProxy: ['env.example'],
    });
    expect(proxySettings(env, { url: 'http://conf:2', noProxy: ['Conf.Example'] }).noProxy).toEqual([
      'conf.example',
    ]);
  });
});

describe('bypassesProxy (curl semantics)', () => {
  it.each([
    ['https://api.example.com/x', ['example.com'], true],
    ['https://example.com/x', ['.example.com'], true],
    ['https://a.b.example.com/x', ['*.example.com'], true],
    ['https://notexample.com/x', ['example.com'], false],
    ['https://anything.test/x', ['*'], true],
    ['https://api.example.com/x', ['api.example.com:443'], true],
    ['https://api.example.com:8443/x', ['api.example.com:443'], false],
    ['http://127.0.0.1:8080/x', [], false],
    ['http://127.0.0.1:8080/x', ['127.0.0.1'], true],
    ['http://10.0.0.1/x', ['0.0.1'], false],
    ['http://[::1]:80/x', ['::1'], true],
    ['http://[::1]:80/x', ['[::1]:80'], true],
    ['http://localhost/x', ['127.0.0.1'], false],
  ])('%s with NO_PROXY %j → %s', (target, noProxy, expected) => {
    expect(bypassesProxy(url(target), noProxy)).toBe(expected);
  });
});

describe('proxyFor', () => {
  const settings = { http: 'http://p:1', https: 'http://s:2', noProxy: ['direct.example'] };
  it('picks the proxy of the scheme, or none for a NO_PROXY host', () => {
    expect(proxyFor(url('http://x.example/'), settings)).toBe('http://p:1');
    expect(proxyFor(url('https://x.example/'), settings)).toBe('http://s:2');
    expect(proxyFor(url('https://direct.example/'), settings)).toBeUndefined();
    expect(
      proxyFor(url('https://x.example/'), { http: undefined, https: undefined, noProxy: [] }),
    ).toBeUndefined();
  });
});
