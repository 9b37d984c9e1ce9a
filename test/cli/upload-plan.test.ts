import { describe, expect, it } from 'vitest';
import { planUpload } from '../../src/cli/upload-plan.js';
import { validateConfig } from '../../src/engine/config/validate-config.js';

const config = validateConfig({
  targets: {
    lexer: { profile: 'lexer', endpoint: 'https://api.lexer.io/v1/uploads' },
    other: { profile: 'lexer', endpoint: 'https://other.example/v1/uploads' },
  },
  folders: [{ path: 'out', target: 'lexer', rule: '{descriptor}_{date}.{ext}', fields: { dataset_id: 'd' } }],
});

describe('planUpload', () => {
  it("uses the target, rule and fields of the folder the file is in (relative to the config's folder)", () => {
    expect(planUpload(config, '/etc/ferry/ferry.json', '/etc/ferry/out/a_2024-01-01.csv', undefined)).toEqual(
      {
        path: '/etc/ferry/out/a_2024-01-01.csv',
        target: 'lexer',
        folder: { rule: '{descriptor}_{date}.{ext}', fields: { dataset_id: 'd' } },
      },
    );
  });

  it('lets --target override the folder target, and default the rule outside any folder', () => {
    expect(planUpload(config, '/etc/ferry/ferry.json', '/etc/ferry/out/x.csv', 'other').target).toBe('other');
    expect(planUpload(config, '/etc/ferry/ferry.json', '/tmp/x.csv', 'other').folder).toEqual({
      rule: '{descriptor}-{date}-{version}.{ext}',
      fields: {},
    });
  });

  it('names what is missing', () => {
    expect(() => planUpload(config, 'ferry.json', '/tmp/x.csv', undefined)).toThrow(
      '/tmp/x.csv is in no folder of ferry.json: name a target with --target',
    );
    expect(() => planUpload(config, 'ferry.json', '/tmp/x.csv', 'nope')).toThrow(
      "no target named 'nope' in ferry.json (known: lexer, other)",
    );
  });
});
