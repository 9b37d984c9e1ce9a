import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openConfigStore } from '../../src/cli/config-store.js';
import { readConfig } from '../../src/node/config-file.js';
import { saveSettings } from '../../src/node/settings-file.js';
import type { SettingsDraft } from '../../src/shared/settings-draft.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('settings-file');

const RULE = '{descriptor}-{date}-{version}.{ext}';

async function setUp() {
  const dir = await tempDir();
  await mkdir(join(dir, 'out'));
  await mkdir(join(dir, 'new'));
  const path = join(dir, 'ferry.json');
  const text = `${JSON.stringify(
    {
      limitRate: '5M',
      targets: { vendor: { profile: 'lexer', endpoint: 'https://api.vendor.example/v1/uploads' } },
      folders: [{ path: 'out', target: 'vendor', poll: true }],
    },
    null,
    2,
  )}\n`;
  await writeFile(path, text);
  const draft: SettingsDraft = {
    folders: [
      {
        path: join(dir, 'out'),
        original: join(dir, 'out'),
        target: 'vendor',
        rule: RULE,
        fields: {},
        after: 'leave',
        ignore: [],
      },
    ],
    targets: [{ name: 'vendor', profile: 'lexer', endpoint: 'https://api.vendor.example/v1/uploads' }],
    concurrency: 4,
    notifications: 'all',
    startAtLogin: false,
  };
  return { dir, path, text, draft };
}

describe('saveSettings', () => {
  it('writes the merged file, keeps what the window does not edit, and the agent reads it back', async () => {
    const { dir, path, draft } = await setUp();
    const saved = await saveSettings(openConfigStore(path), {
      ...draft,
      folders: [
        ...draft.folders,
        {
          path: join(dir, 'new'),
          target: 'vendor',
          rule: RULE,
          fields: { a: 'b' },
          after: 'move',
          ignore: [],
        },
      ],
      concurrency: 2,
    });
    expect(saved.ok).toBe(true);
    const written = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect(written.limitRate).toBe('5M');
    expect(written.folders).toEqual([
      { path: 'out', target: 'vendor', poll: true },
      { path: join(dir, 'new'), target: 'vendor', fields: { a: 'b' }, after: 'move' },
    ]);
    const config = readConfig(openConfigStore(path));
    expect(config.concurrency).toBe(2);
    expect(config.folders.map((f) => f.path)).toEqual([join(dir, 'out'), join(dir, 'new')]);
    // Atomic: the temporary file was renamed over the config, none is left behind.
    expect((await readdir(dir)).sort()).toEqual(['ferry.json', 'new', 'out']);
  });

  it('refuses a bad draft with every problem named by its key, and leaves the file as it was', async () => {
    const { dir, path, text, draft } = await setUp();
    const saved = await saveSettings(openConfigStore(path), {
      ...draft,
      targets: [{ name: 'vendor', profile: 'lexr', endpoint: 'ftp://x' }],
      folders: [
        ...draft.folders,
        {
          path: join(dir, 'nowhere'),
          target: 'vendor',
          rule: '{oops',
          fields: {},
          after: 'leave',
          ignore: [],
        },
      ],
    });
    expect(saved.ok ? [] : saved.issues.map((i) => i.path)).toEqual([
      'targets.vendor.profile',
      'targets.vendor.endpoint',
      'folders[1].rule',
    ]);
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('refuses a new folder that does not exist', async () => {
    const { dir, path, draft } = await setUp();
    const saved = await saveSettings(openConfigStore(path), {
      ...draft,
      folders: [
        ...draft.folders,
        { path: join(dir, 'nowhere'), target: 'vendor', rule: RULE, fields: {}, after: 'leave', ignore: [] },
      ],
    });
    expect(saved.ok ? undefined : saved.issues).toEqual([
      { path: 'folders[1].path', problem: `${join(dir, 'nowhere')} is not a folder` },
    ]);
  });

  it('creates the config file (and its folder) on the first save', async () => {
    const { dir, draft } = await setUp();
    const path = join(dir, 'config', 'ferry', 'config.json');
    const saved = await saveSettings(openConfigStore(path), draft);
    expect(saved.ok).toBe(true);
    expect(readConfig(openConfigStore(path)).targets.vendor?.profile).toBe('lexer');
  });
});
