import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lintPlanted } from '../support/planted-lint.js';

/**
 * Proves lint refuses a BrowserWindow created with its hardening off, or
 * built any other way than from appWindowOptions(): real files planted in
 * src/main, linted with the project's config.
 */
const HEADER = `import { BrowserWindow } from 'electron';\nimport { appWindowOptions } from '../shared/window-security.js';\n`;

const REFUSED = {
  'node integration on': `export const w = new BrowserWindow({ webPreferences: { nodeIntegration: true } });`,
  'context isolation off': `export const w = new BrowserWindow({ webPreferences: { contextIsolation: false } });`,
  'sandbox off': `export const w = new BrowserWindow({ webPreferences: { sandbox: false } });`,
  'web security off': `export const w = new BrowserWindow({ webPreferences: { webSecurity: false } });`,
  'options overridden after the fact': `export const w = new BrowserWindow({ ...appWindowOptions('/p', false), width: 5 });`,
  'no options at all': `export const w = new BrowserWindow();`,
};

const ACCEPTED = `export const w = new BrowserWindow(appWindowOptions('/p', false));`;

const planted = [...Object.values(REFUSED), ACCEPTED].map((body, i) => ({
  file: resolve(`src/main/planted-window-${i}.ts`),
  source: HEADER + body + '\n',
}));
const errors = new Map<string, string[]>();

beforeAll(async () => {
  for (const [file, messages] of await lintPlanted(planted)) {
    errors.set(
      file,
      messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message),
    );
  }
}, 120_000);

describe('window hardening lint', () => {
  it.each(Object.keys(REFUSED).map((name, i) => [name, i] as const))(
    'refuses a window with %s',
    (_name, i) => {
      expect(errors.get(planted[i]?.file ?? '') ?? []).not.toEqual([]);
    },
  );

  it('accepts a window built from appWindowOptions()', () => {
    expect(errors.get(planted.at(-1)?.file ?? '')).toEqual([]);
  });
});
