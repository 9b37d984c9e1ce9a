import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyAutostart, autostartEntry, execArgument } from '../../src/node/xdg-autostart.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('autostart');

describe('execArgument', () => {
  it.each([
    ['/opt/Ferry/ferry', '/opt/Ferry/ferry'],
    ['/home/ada/Apps/Ferry 1.0.AppImage', '"/home/ada/Apps/Ferry 1.0.AppImage"'],
    ['/tmp/$HOME/`x`/"q"\\', '"/tmp/\\$HOME/\\`x\\`/\\"q\\"\\\\"'],
    ['/data/100%/ferry', '/data/100%%/ferry'],
  ])('%s → %s', (argument, written) => {
    expect(execArgument(argument)).toBe(written);
  });
});

describe('applyAutostart', () => {
  it('writes one entry that starts the app when on, and removes it when off', async () => {
    const configHome = await tempDir();
    const place = { configHome, command: ['/home/ada/Apps/Ferry 1.0.AppImage'] };
    await applyAutostart(true, place);
    await applyAutostart(true, place);
    expect(await readdir(join(configHome, 'autostart'))).toEqual(['ferry.desktop']);
    const entry = await readFile(join(configHome, 'autostart', 'ferry.desktop'), 'utf8');
    expect(entry).toBe(autostartEntry(place.command));
    expect(entry.split('\n')).toEqual(
      expect.arrayContaining([
        '[Desktop Entry]',
        'Type=Application',
        'Exec="/home/ada/Apps/Ferry 1.0.AppImage"',
        'X-GNOME-Autostart-enabled=true',
      ]),
    );
    await applyAutostart(false, place);
    expect(await readdir(join(configHome, 'autostart'))).toEqual([]);
    await applyAutostart(false, place);
  });
});
