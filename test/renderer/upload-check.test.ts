import { describe, expect, it } from 'vitest';
import { checkUpload } from '../../src/renderer/upload-check.js';
import type { SettingsView } from '../../src/shared/contract.js';

const settings: SettingsView = {
  folders: [
    {
      path: '/in',
      target: 'vendor',
      rule: '{provider}_{datasetType}_{date}.{ext}',
      paused: false,
      fields: {},
      after: 'leave',
      ignore: [],
      expect: [],
    },
  ],
  targets: [{ name: 'vendor', profile: 'lexer', endpoint: 'https://v.example', hasToken: true }],
  concurrency: 4,
  notifications: 'all',
  startAtLogin: false,
  desktop: false,
  canTrial: false,
};

describe('checkUpload', () => {
  it("passes a name that follows the target's folder rule", () => {
    expect(checkUpload({ name: 'acme_sales_2024-06-12.csv', size: 10 }, settings)).toEqual({
      ok: true,
      target: 'vendor',
    });
  });

  it('refuses a name the rule rejects, an empty file, and having no target', () => {
    expect(checkUpload({ name: 'sales-2024-06-12-v1.csv', size: 10 }, settings).ok).toBe(false);
    expect(checkUpload({ name: 'acme_sales_2024-06-12.csv', size: 0 }, settings)).toEqual({
      ok: false,
      reason: 'acme_sales_2024-06-12.csv is empty.',
    });
    expect(checkUpload({ name: 'a-2024-06-12-v1.csv', size: 1 }, undefined).ok).toBe(false);
  });

  it('proposes the fixed name under the default rule', () => {
    const check = checkUpload({ name: 'my report-2024-06-12-v1.csv', size: 1 }, { ...settings, folders: [] });
    expect(check).toMatchObject({
      ok: false,
      reason: expect.stringContaining('Rename it to my-report-2024-06-12-v1.csv') as unknown,
    });
  });
});
