import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/engine/config/validate-config.js';
import { ConfigError } from '../../src/shared/config.js';
import { applyDraft } from '../../src/shared/settings-draft.js';
import { settingsDraft as draft } from '../support/settings-draft.js';

const base = (p: string) => (p.startsWith('/') ? p : `/etc/ferry/${p}`);

const FILE = {
  proxy: { url: 'http://proxy.corp:3128' },
  limitRate: '5M',
  targets: {
    vendor: {
      profile: 'lexer',
      endpoint: 'https://api.vendor.example/v1/uploads',
      retry: { attempts: 3 },
    },
  },
  folders: [
    { path: 'out/customers', target: 'vendor', fields: { dataset_id: 'ds-1' }, poll: true, checks: false },
    { path: '/data/other', target: 'vendor' },
  ],
};

describe('applyDraft', () => {
  it('changes only what the window edits and keeps the rest of the file as written', () => {
    const merged = applyDraft(FILE, draft(), base);
    expect(merged).toEqual({ ...FILE, concurrency: 4, notifications: 'all', startAtLogin: false });
    // A relative path the user did not touch stays relative.
    expect((merged.folders as { path: string }[])[0]?.path).toBe('out/customers');
  });

  it('applies an edited rule, action and ignore list, and keeps the options it does not show', () => {
    const edited = draft();
    const [first, second] = edited.folders;
    if (first === undefined || second === undefined) throw new Error('two folders');
    const merged = applyDraft(
      FILE,
      {
        ...edited,
        folders: [{ ...first, rule: '{provider}_{date}.{ext}', after: 'move', ignore: ['draft-*'] }],
        concurrency: 8,
        notifications: 'errors-only',
        startAtLogin: true,
      },
      base,
    );
    expect(merged.folders).toEqual([
      {
        path: 'out/customers',
        target: 'vendor',
        fields: { dataset_id: 'ds-1' },
        poll: true,
        checks: false,
        rule: '{provider}_{date}.{ext}',
        after: 'move',
        ignore: ['draft-*'],
      },
    ]);
    expect(second.path).toBe('/data/other');
    const config = validateConfig(merged);
    expect(config.folders).toHaveLength(1);
    expect(config.concurrency).toBe(8);
    expect(config.notifications).toBe('errors-only');
    expect(config.startAtLogin).toBe(true);
    expect(config.limitRate).toBe(5 * 1024 * 1024);
  });

  it('adds a folder and a target, and keeps a target’s templates and retry when its endpoint changes', () => {
    const merged = applyDraft(
      FILE,
      draft({
        targets: [
          { name: 'vendor', profile: 'lexer', endpoint: 'https://api2.vendor.example/v1/uploads' },
          { name: 'files', profile: 'form', endpoint: 'https://files.vendor.example/api/v1/file/new' },
        ],
        folders: [
          ...draft().folders,
          {
            path: '/data/new',
            target: 'files',
            rule: '{descriptor}-{date}-{version}.{ext}',
            fields: {},
            after: 'leave',
            ignore: [],
          },
        ],
      }),
      base,
    );
    expect((merged.targets as Record<string, unknown>).vendor).toEqual({
      profile: 'lexer',
      endpoint: 'https://api2.vendor.example/v1/uploads',
      retry: { attempts: 3 },
    });
    expect((merged.folders as unknown[])[2]).toEqual({ path: '/data/new', target: 'files' });
    expect(validateConfig(merged).folders).toHaveLength(3);
  });

  it('leaves the validator to name a bad field by its key path', () => {
    const merged = applyDraft(
      FILE,
      draft({
        targets: [{ name: 'vendor', profile: 'lexer', endpoint: 'http://api.vendor.example/v1' }],
        concurrency: 0,
      }),
      base,
    );
    let issues: readonly { path: string }[] = [];
    try {
      validateConfig(merged);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues = error.issues;
    }
    expect(issues.map((i) => i.path)).toEqual(['concurrency', 'targets.vendor.endpoint']);
  });

  it('writes a first config from nothing', () => {
    const merged = applyDraft({}, draft({ folders: [] }), base);
    expect(validateConfig(merged).targets.vendor?.endpoint).toBe('https://api.vendor.example/v1/uploads');
  });
});

describe('applyDraft: expected files', () => {
  it("writes a folder's expected files as edited, and keeps the file's when the window sends none", () => {
    const [first, second] = draft().folders;
    if (first === undefined || second === undefined) throw new Error('two folders');
    const expect_ = [
      { descriptor: 'customers', every: 'month', on: 1, by: '06:00', date: 'previous-day' as const },
    ];
    const merged = applyDraft(FILE, draft({ folders: [{ ...first, expect: expect_ }, second] }), base);
    const folders = merged.folders as Record<string, unknown>[];
    expect(folders[0]?.expect).toEqual(expect_);
    expect(folders[1]).not.toHaveProperty('expect');
    const kept = applyDraft(
      {
        ...FILE,
        folders: [
          { path: 'out/customers', target: 'vendor', fields: { dataset_id: 'ds-1' }, expect: expect_ },
          { path: '/data/other', target: 'vendor' },
        ],
      },
      draft(),
      base,
    );
    expect((kept.folders as Record<string, unknown>[])[0]?.expect).toEqual(expect_);
    expect(validateConfig(merged).folders[0]?.expect).toEqual(expect_);
  });
});
