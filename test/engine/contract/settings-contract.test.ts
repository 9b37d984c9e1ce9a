import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../../src/engine/contract/command-args.js';

describe('the settings commands', () => {
  it('take a target and a non-empty token, and nothing else', () => {
    expect(checkCommand('settings.setToken', { target: 'vendor', token: 's3cret' }).ok).toBe(true);
    expect(checkCommand('settings.setToken', { target: 'vendor', token: '' }).ok).toBe(false);
    expect(checkCommand('settings.setToken', { target: 'vendor' }).ok).toBe(false);
    expect(checkCommand('settings.setToken', { target: 'vendor', token: 'x', echo: true }).ok).toBe(false);
    expect(checkCommand('settings.get', {}).ok).toBe(true);
    expect(checkCommand('settings.get', { target: 'vendor' }).ok).toBe(false);
  });
});
