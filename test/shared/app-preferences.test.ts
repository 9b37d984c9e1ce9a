import { describe, expect, it } from 'vitest';
import { loginItem, notificationSettings } from '../../src/shared/app-preferences.js';
import { validateConfig } from '../../src/engine/config/validate-config.js';
import { ConfigError } from '../../src/shared/config.js';

describe('the app preferences in the config', () => {
  it('validates concurrency, notifications and startAtLogin, naming the bad key', () => {
    const ok = validateConfig({ targets: {}, concurrency: 6, notifications: 'off', startAtLogin: true });
    expect([ok.concurrency, ok.notifications, ok.startAtLogin]).toEqual([6, 'off', true]);
    const paths = (value: unknown) => {
      try {
        validateConfig(value);
        return [];
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return error.issues.map((i) => `${i.path}: ${i.problem}`);
      }
    };
    expect(paths({ targets: {}, concurrency: 2.5, notifications: 'loud', startAtLogin: 'yes' })).toEqual([
      'concurrency: must be a positive whole number',
      "notifications: must be one of 'all', 'errors-only', 'off'",
      'startAtLogin: must be true or false',
    ]);
    expect(paths({ targets: {}, concurrency: 33 })).toEqual(['concurrency: must be at most 32']);
  });

  it('maps the notification mode to the batcher settings (all by default)', () => {
    expect(notificationSettings(undefined)).toEqual({ enabled: true, errorsOnly: false });
    expect(notificationSettings('errors-only')).toEqual({ enabled: true, errorsOnly: true });
    expect(notificationSettings('off')).toEqual({ enabled: false, errorsOnly: false });
  });

  it('gives a login item on macOS and Windows, none on Linux', () => {
    expect(loginItem(true, 'darwin')).toEqual({ openAtLogin: true });
    expect(loginItem(undefined, 'win32')).toEqual({ openAtLogin: false });
    expect(loginItem(true, 'linux')).toBeUndefined();
  });
});
