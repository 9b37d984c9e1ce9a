import { rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
  body,
}));
const errors = new Map<string, string[]>();

async function removePlanted() {
  await Promise.all(planted.map((p) => rm(p.file, { force: true })));
}

beforeAll(async () => {
  try {
    for (const p of planted) await writeFile(p.file, HEADER + p.body + '\n');
    for (const result of await new ESLint().lintFiles(planted.map((p) => p.file))) {
      const found = result.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
      errors.set(result.filePath, found);
    }
  } finally {
    await removePlanted();
  }
}, 120_000);

afterAll(removePlanted);

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
