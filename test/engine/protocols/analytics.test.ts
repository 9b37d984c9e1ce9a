import { describe, expect, it } from 'vitest';
import { analytics } from '../../../src/engine/protocols/analytics.js';

const bound = (endpoint: string) => analytics.bind('a', { endpoint, auth: { style: 'bearer' } }, {});

describe('the analytics profile', () => {
  it('follows a delivered file next to the upload endpoint, its id escaped, with the token', () => {
    expect(bound('https://h.example/analytics/files/upload').statusRequest?.('f-1', 'tok')).toEqual({
      method: 'GET',
      url: 'https://h.example/analytics/files/f-1',
      headers: { accept: 'application/json', authorization: 'Bearer tok' },
    });
    expect(bound('http://127.0.0.1:9/analytics/files/upload').statusRequest?.('a/b?c', 'tok').url).toBe(
      'http://127.0.0.1:9/analytics/files/a%2Fb%3Fc',
    );
  });

  it('is not tested by a connection test: its first request registers the file', () => {
    expect(bound('https://h.example/analytics/files/upload').probe).toMatchObject({
      harmless: false,
      reason: expect.stringMatching(/registers the file/) as string,
    });
  });
});
