import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/engine/config/validate-config.js';
import { ConfigError } from '../../../src/shared/config.js';

/**
 * Every key of the schema says in its own words what it expects: a value of
 * any kind in any place gets Ferry's message, never zod's built-in one.
 */
const ZOD_DEFAULT = /^(Invalid|Too (small|big)|Unrecognized)/;

const valid = () => ({
  proxy: { url: 'http://proxy:3128', noProxy: ['internal'] },
  limitRate: '5M',
  limitRateSchedule: { days: 'mon-fri', hours: '09:00-17:00' },
  targets: {
    v: {
      profile: 'presigned-put',
      endpoint: 'https://v.example/u',
      auth: { style: 'bearer' },
      request: { body: { name: '{filename}' } },
      response: { url: 'url', id: 'id' },
      maxBytes: 10,
      retry: { attempts: 1, elapsedSeconds: 1, stallSeconds: 1 },
    },
  },
  folders: [
    { path: 'in', target: 'v', fields: { a: 'b' }, convert: 'csv-to-ndjson', types: { a: 'number' } },
  ],
});

const PLACES: readonly (readonly (string | number)[])[] = [
  [],
  ...[
    'version',
    'concurrency',
    'notifications',
    'startAtLogin',
    'proxy',
    'limitRate',
    'limitRateSchedule',
  ].map((key) => [key]),
  ['targets'],
  ['targets', 'v'],
  ...['profile', 'endpoint', 'auth', 'request', 'response', 'maxBytes', 'retry'].map((key) => [
    'targets',
    'v',
    key,
  ]),
  ['targets', 'v', 'auth', 'style'],
  ['targets', 'v', 'request', 'body'],
  ['targets', 'v', 'response', 'url'],
  ['targets', 'v', 'retry', 'attempts'],
  ['targets', 'v', 'retry', 'stallSeconds'],
  ['proxy', 'url'],
  ['proxy', 'noProxy'],
  ['folders'],
  ['folders', 0],
  ...[
    'path',
    'target',
    'rule',
    'fields',
    'after',
    'ignore',
    'poll',
    'checks',
    'requiredKeys',
    'convert',
    'types',
    'compress',
    'loading',
  ].map((key) => ['folders', 0, key]),
  ['folders', 0, 'fields', 'a'],
  ['folders', 0, 'types', 'a'],
];

function put(config: Record<string, unknown>, place: readonly (string | number)[], value: unknown): unknown {
  if (place.length === 0) return value;
  let at = config as Record<string | number, unknown>;
  for (const key of place.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[place.at(-1) ?? ''] = value;
  return config;
}

describe('config messages', () => {
  it("are Ferry's own for any value anywhere", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PLACES), fc.jsonValue(), (place, value) => {
        try {
          validateConfig(put(valid(), place, value));
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          for (const issue of error.issues) {
            expect(issue.problem).not.toMatch(ZOD_DEFAULT);
            expect(issue.path).not.toMatch(/undefined/);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
