import { describe, expect, it } from 'vitest';
import { parseConfig, validateConfig } from '../../../src/engine/config/validate-config.js';
import { ConfigError, endpointProblem } from '../../../src/shared/config.js';

const LEXER = { profile: 'lexer', endpoint: 'https://api.lexer.io/v1/uploads' };

function issuesOf(value: unknown): string[] {
  try {
    validateConfig(value);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.problem}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('validateConfig: a good config', () => {
  it('fills defaults: auth style per profile, default rule, no fields, leave after delivery, checks on', () => {
    const config = validateConfig({
      targets: {
        lexer: LEXER,
        forms: { profile: 'form', endpoint: 'https://files.example/api/v1/file/new' },
      },
      folders: [{ path: '/data/out', target: 'lexer' }],
    });
    expect(config.targets.lexer).toEqual({ ...LEXER, auth: { style: 'auth-api-token' } });
    expect(config.targets.forms?.auth).toEqual({ style: 'bearer' });
    expect(config.folders).toEqual([
      {
        path: '/data/out',
        target: 'lexer',
        rule: '{descriptor}-{date}-{version}.{ext}',
        fields: {},
        after: 'leave',
        ignore: [],
        poll: false,
        checks: true,
        requiredKeys: [],
        types: {},
      },
    ]);
  });

  it('accepts a generic presigned-PUT target whose template the folder can fill', () => {
    const config = validateConfig({
      targets: {
        vendor: {
          profile: 'presigned-put',
          endpoint: 'http://127.0.0.1:4566/v1/uploads',
          auth: { style: 'bearer' },
          request: { body: { name: '{filename}', meta: { dataset: '{dataset}', provider: '{provider}' } } },
          response: { url: 'data.upload.url', id: 'data.id' },
          maxBytes: 1_000_000,
          retry: { attempts: 5, elapsedSeconds: 600, stallSeconds: 30 },
        },
      },
      folders: [
        {
          path: 'in',
          target: 'vendor',
          rule: '{provider}_{datasetType}_{date}.{ext}',
          fields: { dataset: 'ds-42' },
          after: 'move',
        },
      ],
    });
    expect(config.targets.vendor?.response).toEqual({ url: 'data.upload.url', id: 'data.id' });
    expect(config.targets.vendor?.retry).toEqual({ attempts: 5, elapsedSeconds: 600, stallSeconds: 30 });
    expect(config.folders[0]?.after).toBe('move');
  });

  it('parses from text', () => {
    expect(parseConfig(JSON.stringify({ targets: { lexer: LEXER } })).folders).toEqual([]);
  });
});

describe('validateConfig: errors name the bad key', () => {
  it('rejects a plain-http endpoint that is not loopback', () => {
    expect(
      issuesOf({ targets: { vendor: { profile: 'lexer', endpoint: 'http://api.lexer.io/v1/uploads' } } }),
    ).toEqual(['targets.vendor.endpoint: must be https (or a loopback http URL)']);
  });

  it('lists every problem at once', () => {
    const issues = issuesOf({
      targets: { vendor: { profile: 'lexr', endpoint: 'not a url', auth: { style: 'basic' }, retries: 3 } },
      folders: [{ path: '', target: 'nope', after: 'delete', rule: '{descriptor}-{date' }],
    });
    expect(issues).toEqual([
      'targets.vendor.retries: unknown key (expected one of: profile, endpoint, auth, request, response, maxBytes, retry)',
      "targets.vendor.profile: must be one of 'lexer', 'analytics', 'form', 's3-multipart', 'presigned-put'",
      "targets.vendor.endpoint: 'not a url' is not a URL",
      "targets.vendor.auth.style: must be one of 'auth-api-token', 'bearer'",
      'folders[0].path: must be a folder path',
      "folders[0].target: no target named 'nope' (known: 'vendor')",
      expect.stringMatching(/^folders\[0\]\.rule: /) as string,
      "folders[0].after: must be one of 'leave', 'move'",
    ]);
  });

  it('requires the templates of the presigned-put profile and checks the dot-paths', () => {
    expect(
      issuesOf({ targets: { v: { profile: 'presigned-put', endpoint: 'https://v.example/u' } } }),
    ).toEqual([
      'targets.v.request: the presigned-put profile needs a body template',
      'targets.v.response: the presigned-put profile needs the dot-paths of url and id',
    ]);
    const bad = issuesOf({
      targets: {
        v: {
          profile: 'presigned-put',
          endpoint: 'https://v.example/u',
          request: { body: 'x' },
          response: { url: 'a..b' },
        },
      },
    });
    expect(bad).toEqual([
      'targets.v.request.body: must be a JSON object (the body template)',
      'targets.v.response.url: must be a dot-path such as "data.upload.url"',
      'targets.v.response.id: must be a dot-path such as "data.upload.url"',
    ]);
  });

  it('names a template variable no folder can fill', () => {
    const issues = issuesOf({
      targets: { v: { ...LEXER, request: { body: { filename: '{filename}', dataset_id: '{dataset}' } } } },
      folders: [{ path: 'in', target: 'v' }],
    });
    expect(issues).toEqual([
      "folders[0]: target 'v' uses {dataset} in its request body, but neither this folder's rule nor its fields provide it",
    ]);
  });

  it("checks a profile's documented body when the target sets none", () => {
    const analytics = { profile: 'analytics', endpoint: 'https://api.example/analytics/files/upload' };
    expect(issuesOf({ targets: { a: analytics }, folders: [{ path: 'in', target: 'a' }] })).toEqual([
      "folders[0]: target 'a' uses {datasetType} in its request body, but neither this folder's rule nor its fields provide it",
    ]);
    const ok = validateConfig({
      targets: { a: analytics },
      folders: [
        { path: 'in', target: 'a', rule: '{provider}_{datasetType}_{date}.{ext}' },
        { path: 'in2', target: 'a', fields: { datasetType: 'transactions' } },
      ],
    });
    expect(ok.folders).toHaveLength(2);
  });

  it('refuses limits a single PUT cannot reach, and bad numbers', () => {
    expect(
      issuesOf({
        targets: { v: { ...LEXER, maxBytes: 6 * 1024 ** 3, retry: { attempts: 0, stallSeconds: 'x' } } },
      }),
    ).toEqual([
      'targets.v.maxBytes: a single PUT cannot exceed 5368709120 bytes (5 GiB)',
      'targets.v.retry.attempts: must be a positive whole number',
      'targets.v.retry.stallSeconds: must be a positive number',
    ]);
  });

  it('refuses duplicate folders, bad field names and non-string fields', () => {
    expect(
      issuesOf({
        targets: { v: LEXER },
        folders: [
          { path: 'in', target: 'v', fields: { 'data-set': 'x', record: 3 } },
          { path: 'in', target: 'v' },
        ],
      }),
    ).toEqual([
      'folders[0].fields.data-set: a field name is a letter followed by letters, digits or _',
      'folders[0].fields.record: must be a string',
      "folders[1].path: 'in' is already watched by folders[0]",
    ]);
  });

  it("wants the form API's file_size_limit in whole bytes, which Ferry measures each file by", () => {
    const files = { profile: 'form', endpoint: 'https://files.example/api/v1/file/new' };
    expect(
      issuesOf({
        targets: { files, v: LEXER },
        folders: [
          { path: 'a', target: 'files', fields: { file_size_limit: '100 MB' } },
          { path: 'b', target: 'files', fields: { file_size_limit: '100000' } },
          { path: 'c', target: 'v', fields: { file_size_limit: 'any' } },
        ],
      }),
    ).toEqual([
      "folders[0].fields.file_size_limit: must be a whole number of bytes (target 'files' refuses larger files)",
    ]);
  });

  it('reports the shape of the file itself', () => {
    expect(issuesOf([])).toEqual(['(root): must be a JSON object']);
    expect(issuesOf({ targets: [], folders: {} })).toEqual([
      'targets: must be an object of named targets',
      'folders: must be an array',
    ]);
    expect(() => parseConfig('{"targets": ')).toThrow(/^\(file\): not valid JSON/);
  });

  it('puts every issue on its own line in the message', () => {
    expect(() => validateConfig({ targets: { 'bad name': LEXER, x: 1 } })).toThrow(
      "targets.bad name: a target name holds letters, digits, '.', '_' and '-', and starts with a letter or digit\ntargets.x: must be an object",
    );
  });
});

describe('endpointProblem', () => {
  it.each([
    ['https://api.lexer.io/v1/uploads', undefined],
    ['http://127.0.0.1:8080/v1/uploads', undefined],
    ['http://localhost:8080/x', undefined],
    ['http://[::1]:8080/x', undefined],
    ['http://10.0.0.5/x', 'must be https (or a loopback http URL)'],
    ['ftp://host/x', 'must be https (or a loopback http URL)'],
    [
      'https://user:token@api.example/x',
      'must not hold credentials: the token lives in FERRY_TOKEN, FERRY_TOKEN_FILE or the keyring',
    ],
  ])('%s', (endpoint, problem) => {
    expect(endpointProblem(endpoint)).toBe(problem);
  });
});

describe('folder options', () => {
  const base = {
    targets: { lexer: { profile: 'lexer', endpoint: 'https://api.example/v1/uploads' } },
  };

  it('reads ignore globs, polling, checks, required keys, conversion with types and compression', () => {
    const config = validateConfig({
      ...base,
      folders: [
        {
          path: '/data/out',
          target: 'lexer',
          ignore: ['draft-*'],
          poll: true,
          checks: false,
          requiredKeys: ['customer_id'],
          convert: 'csv-to-ndjson',
          types: { amount: 'number' },
          compress: 'gzip',
        },
      ],
    });
    expect(config.folders[0]).toMatchObject({
      ignore: ['draft-*'],
      poll: true,
      checks: false,
      requiredKeys: ['customer_id'],
      convert: 'csv-to-ndjson',
      types: { amount: 'number' },
      compress: 'gzip',
    });
  });

  it.each([
    [{ ignore: 'draft-*' }, 'folders[0].ignore: must be a list of non-empty strings'],
    [{ convert: 'xml' }, "folders[0].convert: must be 'csv-to-ndjson'"],
    [{ types: { a: 'number' } }, 'folders[0].types: only applies with "convert": "csv-to-ndjson"'],
    [
      { convert: 'csv-to-ndjson', types: { a: 'int' } },
      'folders[0].types.a: must be one of string, number, boolean, date',
    ],
    [{ compress: 'zip' }, "folders[0].compress: must be 'gzip'"],
    [{ checks: 'no' }, 'folders[0].checks: must be true or false'],
  ])('names the bad key in %j', (options, message) => {
    expect(() => validateConfig({ ...base, folders: [{ path: '/d', target: 'lexer', ...options }] })).toThrow(
      message,
    );
  });
});
