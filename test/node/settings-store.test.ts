import { chmod, mkdir, readFile, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openConfigStore } from '../../src/cli/config-store.js';
import { readConfig } from '../../src/node/config-file.js';
import { saveSettings } from '../../src/node/settings-file.js';
import { ConfigError } from '../../src/shared/config.js';
import { settingsDraft } from '../support/settings-draft.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * The config file goes through conf (electron-store in the app, the same
 * options): it is read and written there, and a file the user edited by hand
 * is never rewritten by a read, nor reset when it is wrong.
 */
const tempDir = useTempDir('settings-store');

/** The first config example of docs/configuration.md, as a user would have it. */
async function documentedConfig(): Promise<string> {
  const docs = await readFile(join(import.meta.dirname, '../../docs/configuration.md'), 'utf8');
  const example = /```json\n([\s\S]*?)```/.exec(docs)?.[1];
  if (example === undefined) throw new Error('docs/configuration.md has no JSON example');
  return example;
}

/** A file as the user left it, with an old modification time, so a rewrite cannot go unseen. */
async function handWritten(path: string, text: string): Promise<() => Promise<void>> {
  await writeFile(path, text);
  const past = new Date('2024-01-31T12:00:00Z');
  await utimes(path, past, past);
  return async () => {
    expect(await readFile(path, 'utf8')).toBe(text);
    expect((await stat(path)).mtimeMs).toBe(past.getTime());
  };
}

function issuesOf(read: () => unknown): string[] {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.problem}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('reading the config file through conf', () => {
  it('reads the documented example and leaves the file byte for byte as it was', async () => {
    const dir = await tempDir();
    const path = join(dir, 'ferry.json');
    const untouched = await handWritten(path, await documentedConfig());
    const config = readConfig(openConfigStore(path));
    expect(Object.keys(config.targets)).toEqual(['lexer', 'analytics', 'files', 'other']);
    expect(config.targets.files?.auth).toEqual({ style: 'bearer' });
    // Written before `version` existed: version 1, read as it is, and not given one.
    expect(config.version).toBeUndefined();
    expect(config.folders.map((f) => f.path)).toEqual([
      join(dir, 'out/customers'),
      join(dir, 'out/analytics'),
      join(dir, 'out/files'),
    ]);
    await untouched();
  });

  it('refuses a file that is not JSON with the parser’s message, and neither resets nor rewrites it', async () => {
    const path = join(await tempDir(), 'ferry.json');
    const untouched = await handWritten(path, '{ "targets": { "v": { "profile": "lexer", } }\n');
    expect(issuesOf(() => readConfig(openConfigStore(path)))).toEqual([
      expect.stringMatching(/^\(file\): not valid JSON: /) as string,
    ]);
    await untouched();
  });

  it('refuses a bad value by its key path and leaves the file alone', async () => {
    const path = join(await tempDir(), 'ferry.json');
    const untouched = await handWritten(
      path,
      '{"targets": {"vendor": {"profile": "lexer", "endpoint": "http://api.example/v1"}}, "folders": [[]]}',
    );
    expect(issuesOf(() => readConfig(openConfigStore(path)))).toEqual([
      'targets.vendor.endpoint: must be https (or a loopback http URL)',
      'folders[0]: must be an object',
    ]);
    await untouched();
  });

  it('reads and writes a file of any name, one without an extension too', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'out'));
    const path = join(dir, 'ferry');
    await writeFile(path, '{"targets": {}}');
    const store = openConfigStore(path);
    expect(store.path).toBe(path);
    expect(readConfig(store).targets).toEqual({});
    const draft = settingsDraft({ folders: [] });
    expect((await saveSettings(store, draft)).ok).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['ferry', 'out']);
    expect(readConfig(openConfigStore(path)).targets.vendor?.profile).toBe('lexer');
  });
});

describe('saving the window’s settings through conf', () => {
  it('writes 2-space JSON with a final newline and the config version, and keeps the file’s mode', async () => {
    const dir = await tempDir();
    const path = join(dir, 'ferry.json');
    await writeFile(path, '{"limitRate": "5M", "targets": {}}');
    await chmod(path, 0o600);
    const saved = await saveSettings(openConfigStore(path), settingsDraft({ folders: [] }));
    expect(saved.ok).toBe(true);
    const text = await readFile(path, 'utf8');
    expect(text).toBe(
      `${JSON.stringify(
        {
          version: 1,
          limitRate: '5M',
          targets: { vendor: { profile: 'lexer', endpoint: 'https://api.vendor.example/v1/uploads' } },
          folders: [],
          concurrency: 4,
          notifications: 'all',
          startAtLogin: false,
        },
        null,
        2,
      )}\n`,
    );
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('refuses to save over a file edited into invalid JSON since it was opened, and leaves it as it is', async () => {
    const path = join(await tempDir(), 'ferry.json');
    await writeFile(path, '{"targets": {}}');
    const store = openConfigStore(path);
    const untouched = await handWritten(path, '{"targets": {}, oops}');
    const saved = await saveSettings(store, settingsDraft({ folders: [] }));
    expect(saved.ok ? [] : saved.issues.map((i) => i.path)).toEqual(['(file)']);
    await untouched();
  });

  it('refuses a draft the validator rejects, and leaves the file byte for byte as it was', async () => {
    const path = join(await tempDir(), 'ferry.json');
    const untouched = await handWritten(path, await documentedConfig());
    const saved = await saveSettings(
      openConfigStore(path),
      settingsDraft({
        folders: [],
        targets: [{ name: 'vendor', profile: 'lexer', endpoint: 'http://api.vendor.example/v1' }],
      }),
    );
    expect(saved.ok ? [] : saved.issues).toEqual([
      { path: 'targets.vendor.endpoint', problem: 'must be https (or a loopback http URL)' },
    ]);
    await untouched();
  });

  it('refuses to read or save over a file from a newer Ferry, and leaves it as it is', async () => {
    const path = join(await tempDir(), 'ferry.json');
    const untouched = await handWritten(path, '{"version": 2, "targets": {}, "schedule": "nightly"}\n');
    expect(issuesOf(() => readConfig(openConfigStore(path)))).toEqual([
      'version: written by a newer Ferry (version 2); this Ferry reads up to version 1',
    ]);
    const saved = await saveSettings(openConfigStore(path), settingsDraft({ folders: [] }));
    expect(saved.ok ? [] : saved.issues.map((i) => i.path)).toEqual(['version']);
    await untouched();
  });
});
