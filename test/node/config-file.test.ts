import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../../src/node/config-file.js';
import { ConfigError } from '../../src/shared/config.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('config-file');

describe('readConfigFile', () => {
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
    const config = await readConfigFile(path);
    expect(config.folders.map((f) => f.path)).toEqual([join(dir, 'outbox'), '/abs/inbox']);
  });

  it('names every bad key', async () => {
    const path = join(await tempDir(), 'config.json');
    await writeFile(
      path,
      JSON.stringify({ targets: { v: { profile: 'nope', endpoint: 'http://example.com' } }, folders: [] }),
    );
    await expect(readConfigFile(path)).rejects.toThrow(ConfigError);
    await expect(readConfigFile(path)).rejects.toThrow(/targets\.v\.profile/);
  });
});
