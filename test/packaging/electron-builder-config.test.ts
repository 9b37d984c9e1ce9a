import { readFileSync, statSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  extraResources: { from: string; to: string }[];
  asar: boolean;
  linux: { target: string[]; icon: string };
  mac: { target: { target: string; arch: string[] }[]; icon: string };
  win: { target: string[]; icon: string };
  electronFuses: Record<string, boolean>;
}

const config = parse(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;

/** PNG width from its IHDR chunk. */
function pngWidth(path: string): number {
  return readFileSync(path).readUInt32BE(16);
}

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own schema", () => {
    const schema = JSON.parse(readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...config, notAnOption: true })).toBe(false);
  });

  it('names the app', () => {
    expect(config.appId).toBe('io.ferry.agent');
    expect(config.productName).toBe('Ferry');
  });

  it('builds AppImage and deb, a universal dmg, and an NSIS installer', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['universal'] }]);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('bundles the compiled engine and renderer, and leaves sources, tests and maps out', () => {
    expect(config.files).toContain('dist/**/*');
    expect(config.files).toEqual(
      expect.arrayContaining(['!dist/**/*.map', '!src{,/**/*}', '!test{,/**/*}', '!docs{,/**/*}']),
    );
    expect(config.asar).toBe(true);
  });

  it('ships an app icon big enough for every platform, and the tray icons', () => {
    for (const icon of [config.linux.icon, config.mac.icon, config.win.icon]) {
      expect(pngWidth(icon)).toBeGreaterThanOrEqual(512);
    }
    expect(config.extraResources).toContainEqual({ from: 'assets/tray', to: 'tray' });
    for (const state of ['idle', 'delivering', 'paused', 'attention', 'offline']) {
      for (const file of [
        `${state}Template.png`,
        `${state}Template@2x.png`,
        `${state}-light.png`,
        `${state}-dark.png`,
        `${state}.ico`,
      ]) {
        expect(statSync(`assets/tray/${file}`).size).toBeGreaterThan(0);
      }
    }
  });

  it('hardens the Electron fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });
});
