import type { SettingsDraft } from '../../src/shared/settings-draft.js';

/** A draft of two folders of one target, as the settings screen sends it; `change` replaces keys. */
export const settingsDraft = (change: Partial<SettingsDraft> = {}): SettingsDraft => ({
  folders: [
    {
      path: '/etc/ferry/out/customers',
      original: '/etc/ferry/out/customers',
      target: 'vendor',
      rule: '{descriptor}-{date}-{version}.{ext}',
      fields: { dataset_id: 'ds-1' },
      after: 'leave',
      ignore: [],
    },
    {
      path: '/data/other',
      original: '/data/other',
      target: 'vendor',
      rule: '{descriptor}-{date}-{version}.{ext}',
      fields: {},
      after: 'leave',
      ignore: [],
    },
  ],
  targets: [{ name: 'vendor', profile: 'lexer', endpoint: 'https://api.vendor.example/v1/uploads' }],
  concurrency: 4,
  notifications: 'all',
  startAtLogin: false,
  ...change,
});
