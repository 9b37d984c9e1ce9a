import { describe, expect, it } from 'vitest';
import {
  CONFIG_VERSION,
  migrateConfig,
  type ConfigMigrations,
} from '../../../src/engine/config/config-version.js';
import { validateConfig } from '../../../src/engine/config/validate-config.js';
import { ConfigError } from '../../../src/shared/config.js';
import type { JsonObject } from '../../../src/shared/json-value.js';

function problemOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const TARGETS = { targets: { v: { profile: 'lexer', endpoint: 'https://api.example/v1/uploads' } } };

describe('the config version', () => {
  it('reads a file without one as version 1, today’s format, unchanged', () => {
    const file: JsonObject = { ...TARGETS };
    expect(CONFIG_VERSION).toBe(1);
    expect(migrateConfig(file)).toBe(file);
    expect(validateConfig(file).targets.v?.endpoint).toBe('https://api.example/v1/uploads');
    expect(validateConfig({ version: 1, ...TARGETS }).version).toBe(1);
  });

  it('refuses a file from a newer Ferry, naming its version, and a version that is no version', () => {
    expect(problemOf(() => validateConfig({ version: 2, ...TARGETS }))).toBe(
      'version: written by a newer Ferry (version 2); this Ferry reads up to version 1',
    );
    for (const version of [0, 1.5, '1', null]) {
      expect(problemOf(() => validateConfig({ version, ...TARGETS }))).toBe(
        'version: must be a whole number (this Ferry reads versions up to 1)',
      );
    }
  });
});

describe('the migration runner', () => {
  const applied: number[] = [];
  // A made-up history: version 2 renamed `old` to `renamed`, version 3 added `added`.
  const migrations: ConfigMigrations = {
    current: 3,
    steps: {
      1: ({ old, ...rest }) => {
        applied.push(1);
        return old === undefined ? rest : { ...rest, renamed: old };
      },
      2: (config) => {
        applied.push(2);
        return { ...config, added: `from ${JSON.stringify(config.renamed)}` };
      },
    },
  };

  it('runs every step from the file’s version up, in order, and records the version reached', () => {
    applied.length = 0;
    expect(migrateConfig({ old: 'x' }, migrations)).toEqual({ renamed: 'x', added: 'from "x"', version: 3 });
    expect(applied).toEqual([1, 2]);
  });

  it('starts at the file’s version and leaves a current file as it is', () => {
    applied.length = 0;
    expect(migrateConfig({ version: 2, renamed: 'y' }, migrations)).toEqual({
      version: 3,
      renamed: 'y',
      added: 'from "y"',
    });
    expect(applied).toEqual([2]);
    const current: JsonObject = { version: 3, renamed: 'z', added: 'from z' };
    expect(migrateConfig(current, migrations)).toBe(current);
    expect(problemOf(() => migrateConfig({ version: 4 }, migrations))).toBe(
      'version: written by a newer Ferry (version 4); this Ferry reads up to version 3',
    );
  });

  it('fails loudly when a step is missing', () => {
    expect(() => migrateConfig({}, { current: 2, steps: {} })).toThrow(
      'no migration of the config from version 1',
    );
  });
});
