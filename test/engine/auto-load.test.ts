import { describe, expect, it } from 'vitest';
import {
  autoLoadFix,
  autoLoadGap,
  autoLoadNotice,
  autoLoadWarning,
  concernsFile,
  folderWarnings,
} from '../../src/engine/auto-load.js';
import { validateConfig } from '../../src/engine/config/validate-config.js';

const BOTH = { dataset_id: 'ds-1', record_type: 'customer_record' };

describe('autoLoadGap', () => {
  it('names the fields a lexer folder lacks for Lexer to load NDJSON and JSON by itself', () => {
    expect(autoLoadGap({ fields: {} }, 'lexer')).toEqual({
      profile: 'lexer',
      missing: ['dataset_id', 'record_type'],
      needed: ['dataset_id', 'record_type'],
      extensions: ['ndjson', 'json'],
    });
    expect(autoLoadGap({ fields: { dataset_id: 'ds-1', record_type: ' ' } }, 'lexer')?.missing).toEqual([
      'record_type',
    ]);
    expect(autoLoadGap({ fields: BOTH }, 'lexer')).toBeUndefined();
  });

  it('says nothing for files loaded by hand, or for a vendor that needs no such fields', () => {
    expect(autoLoadGap({ fields: {}, loading: 'manual' }, 'lexer')).toBeUndefined();
    expect(autoLoadGap({ fields: {}, loading: 'automatic' }, 'lexer')).toBeDefined();
    for (const profile of ['analytics', 'form', 's3-multipart', 'presigned-put'] as const)
      expect(autoLoadGap({ fields: {} }, profile)).toBeUndefined();
  });

  it('says nothing for a folder whose ignore globs leave no NDJSON or JSON file, unless it converts CSV', () => {
    const csvOnly = { fields: {}, ignore: ['*.ndjson*', '*.json*'] };
    expect(autoLoadGap(csvOnly, 'lexer')).toBeUndefined();
    expect(autoLoadGap({ ...csvOnly, ignore: ['*.ndjson'] }, 'lexer')).toBeDefined();
    expect(autoLoadGap({ ...csvOnly, convert: 'csv-to-ndjson' }, 'lexer')).toBeDefined();
  });

  it('concerns NDJSON and JSON files, gzipped or not, and not CSV', () => {
    const gap = autoLoadGap({ fields: {} }, 'lexer');
    if (gap === undefined) throw new Error('no gap');
    expect(
      ['a.ndjson', 'a.json', 'a.ndjson.gz', 'a.csv', 'a.csv.gz'].map((n) => concernsFile(gap, n)),
    ).toEqual([true, true, true, false, false]);
  });
});

describe('the words of the warning', () => {
  const gap = autoLoadGap({ fields: { dataset_id: 'ds-1' } }, 'lexer');
  if (gap === undefined) throw new Error('no gap');

  it('says what the vendor will not do, and the config lines that fix it', () => {
    expect(autoLoadWarning(gap)).toBe(
      "lexer loads .ndjson and .json files by itself only when the upload request carries dataset_id and record_type; this folder's fields lack record_type, so such files would wait for someone to load them",
    );
    expect(autoLoadFix(gap, { dataset_id: 'ds-1' })).toBe(
      'add to the folder "fields": { "dataset_id": "ds-1", "record_type": "<record type>" } (or "loading": "manual" if its files are loaded by hand)',
    );
    expect(autoLoadNotice(gap)).toContain('Add record_type under Fields, or put "loading": "manual"');
  });

  it('is said at start for each such folder of a config, and only for them', () => {
    const config = validateConfig({
      targets: {
        lexer: { profile: 'lexer', endpoint: 'https://api.lexer.io/v1/uploads' },
        files: { profile: 'form', endpoint: 'https://files.example/api/v1/file/new' },
      },
      folders: [
        { path: '/out/plain', target: 'lexer' },
        { path: '/out/good', target: 'lexer', fields: BOTH },
        { path: '/out/by-hand', target: 'lexer', loading: 'manual' },
        { path: '/out/form', target: 'files' },
      ],
    });
    expect(folderWarnings(config)).toEqual([
      {
        folder: '/out/plain',
        message: expect.stringContaining('lack dataset_id and record_type') as unknown,
      },
    ]);
  });

  it("takes only automatic or manual as a folder's loading", () => {
    expect(() =>
      validateConfig({
        targets: { lexer: { profile: 'lexer', endpoint: 'https://api.lexer.io/v1/uploads' } },
        folders: [{ path: '/out', target: 'lexer', loading: 'by-hand' }],
      }),
    ).toThrow("folders[0].loading: must be one of 'automatic', 'manual'");
  });
});
