import { describe, expect, it } from 'vitest';
import { hasBearerToken, isLoopbackHost } from '../../src/node/ui-access.js';

describe('isLoopbackHost', () => {
  it('takes 127.0.0.1 and localhost on the served port only', () => {
    expect(isLoopbackHost('127.0.0.1:8080', 8080)).toBe(true);
    expect(isLoopbackHost('LOCALHOST:8080', 8080)).toBe(true);
    expect(isLoopbackHost('127.0.0.1:8081', 8080)).toBe(false);
    expect(isLoopbackHost('127.0.0.1', 8080)).toBe(false);
    expect(isLoopbackHost('evil.example:8080', 8080)).toBe(false);
    expect(isLoopbackHost('127.0.0.1.evil.example:8080', 8080)).toBe(false);
    expect(isLoopbackHost(undefined, 8080)).toBe(false);
  });
});

describe('hasBearerToken', () => {
  it('accepts exactly the token as a Bearer credential', () => {
    expect(hasBearerToken('Bearer abc-123', 'abc-123')).toBe(true);
    expect(hasBearerToken('Bearer abc-12', 'abc-123')).toBe(false);
    expect(hasBearerToken('bearer abc-123', 'abc-123')).toBe(false);
    expect(hasBearerToken('abc-123', 'abc-123')).toBe(false);
    expect(hasBearerToken(undefined, 'abc-123')).toBe(false);
  });
});
