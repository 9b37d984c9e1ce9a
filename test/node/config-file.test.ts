import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openConfigStore } from '../../src/cli/config-store.js';
import { readConfig } from '../../src/node/config-file.js';
import { ConfigError } from '../../src/shared/config.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('config-file');

describe('readConfig', () => {
  it('resolves folder paths against the config file, not the working directory', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'etc'));
    const path = join(dir, 'etc', 'config.json');
    await writeFile(
      path,
      JSON.stringify({
        targets: { v: { profile: 'lexer', endpoint: 'https://api.example/v1/uploads' } },
        folders: [
          { path: '../outbox', target: 'v' },
          { path: '/abs/inbox', target: 'v' },
        ],
      }),
    );
    const config = readConfig(openConfigStore(path));
    expect(config.folders.map((f) => f.path)).toEqual([join(dir, 'outbox'), '/abs/inbox']);
  });

  it('names every bad key', async () => {
    const path = join(await tempDir(), 'config.json');
    await writeFile(
      path,
      JSON.stringify({ targets: { v: { profile: 'nope', endpoint: 'http://example.com' } }, folders: [] }),
    );
    expect(() => readConfig(openConfigStore(path))).toThrow(ConfigError);
    expect(() => readConfig(openConfigStore(path))).toThrow(/targets\.v\.profile/);
  });
});
