import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkContent,
  contentFormat,
  type ContentFormat,
} from '../../../src/engine/content/check-content.js';
import type { ContentReport } from '../../../src/engine/content/content-report.js';

const encoder = new TextEncoder();

function* chunksOf(bytes: Uint8Array, size: number): Iterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

function check(
  format: ContentFormat,
  text: string | Uint8Array,
  chunkSize = 64 * 1024,
  requiredKeys?: string[],
) {
  const bytes = typeof text === 'string' ? encoder.encode(text) : text;
  return checkContent(format, chunksOf(bytes, chunkSize), requiredKeys ? { requiredKeys } : {});
}

const codes = (report: ContentReport) => report.findings.map((f) => f.code);

describe('CSV', () => {
  it('accepts a good file and counts rows and columns', async () => {
    const text = 'id,name,city\n1,Ada,London\n2,"Lovelace, Ada","New\nYork"\n';
    expect(await check('csv', text)).toEqual({
      verdict: 'ok',
      findings: [],
      stats: { bytes: text.length, rows: 2, columns: 3, delimiter: ',' },
    });
  });

  it('names the first ragged lines and counts the rest', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? `${i},x` : `${i},x,extra`));
    const report = await check('csv', `id,name\n${rows.join('\n')}\n`);
    expect(report.verdict).toBe('rejected');
    expect(report.findings).toEqual([
      {
        code: 'content-csv-columns',
        severity: 'error',
        message:
          "15 row(s) do not have the header's 2 field(s): line 3, 5, 7, 9, 11, 13, 15, 17, 19, 21 and 5 more",
        lines: [3, 5, 7, 9, 11, 13, 15, 17, 19, 21],
        count: 15,
      },
    ]);
  });

  it('counts lines inside quoted fields when numbering rows', async () => {
    const report = await check('csv', 'a,b\n"multi\nline",1\n2\n');
    expect(report.findings[0]).toMatchObject({ code: 'content-csv-columns', lines: [4] });
  });

  it('reports an unclosed quote with the line it opened on', async () => {
    const report = await check('csv', 'a,b\n1,2\n3,"never closed\n4,5\n');
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        code: 'content-csv-quotes',
        lines: [3],
        message: expect.stringContaining('line 3') as unknown,
      }),
    );
  });

  it('reports quotes in the wrong place', async () => {
    const report = await check('csv', 'a,b\n1,ab"c\n"x"y,2\n');
    expect(report.findings).toContainEqual(
      expect.objectContaining({ code: 'content-csv-quotes', lines: [2, 3] }),
    );
  });

  it('accepts escaped quotes inside quoted fields', async () => {
    expect((await check('csv', 'a,b\n"say ""hi""",2\n')).verdict).toBe('ok');
  });

  it.each([
    ['id,,name\n1,2,3\n', /no name for column 2/],
    ['id,name,id\n1,2,3\n', /column 1 and column 3 both 'id'/],
    ['1,2,3\n4,5,6\n', /looks like data/],
  ])('rejects the header of %j', async (text, message) => {
    const report = await check('csv', text);
    expect(report.verdict).toBe('rejected');
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        code: 'content-csv-header',
        message: expect.stringMatching(message) as unknown,
      }),
    );
  });

  it.each([
    [';', 'id;name\n1;Ada\n', "';'"],
    ['\t', 'id\tname\n1\tAda\n', 'tab'],
  ])('detects %j as delimiter and warns that it is not a comma', async (delimiter, text, name) => {
    const report = await check('csv', text);
    expect(report.verdict).toBe('ok');
    expect(report.stats.delimiter).toBe(delimiter);
    expect(report.findings).toEqual([
      expect.objectContaining({
        code: 'content-csv-delimiter',
        severity: 'warning',
        message: expect.stringContaining(name) as unknown,
      }),
    ]);
  });

  it('reports a byte-order mark as a warning and still reads the header', async () => {
    const report = await check('csv', '\uFEFFid,name\n1,Ada\n');
    expect(report.verdict).toBe('ok');
    expect(codes(report)).toEqual(['content-bom']);
    expect(report.stats).toMatchObject({ rows: 1, columns: 2 });
  });

  it('rejects bytes that are not UTF-8, naming the line', async () => {
    const latin1 = Uint8Array.from([
      ...encoder.encode('id,name\n1,Ada\n2,Ren'),
      0xe9,
      ...encoder.encode('\n'),
    ]);
    const report = await check('csv', latin1);
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        code: 'content-encoding',
        lines: [3],
        message: expect.stringContaining('byte 0xe9 on line 3') as unknown,
      }),
    );
  });

  it('rejects NUL bytes, naming the line', async () => {
    const report = await check('csv', 'id,name\n1,A\u0000da\n');
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'content-nul', lines: [2] }));
  });

  it('rejects an empty file and tolerates blank lines and a missing final newline', async () => {
    expect(codes(await check('csv', ''))).toEqual(['content-empty']);
    expect(await check('csv', 'a,b\n\n1,2\r\n\r\n3,4')).toMatchObject({ verdict: 'ok', stats: { rows: 2 } });
  });

  it('gives the same report however the bytes are split into chunks', async () => {
    const sample = fc.constantFrom(
      'id,name\n1,"Ada\n, L"\n2,x,y\n3,"z""q"\n',
      '\uFEFFa;b\n1;2\n3\n',
      'x,y\n1,"open\n',
      'p,q\n1,a"b\n',
      'id,name\né,ü\n',
    );
    await fc.assert(
      fc.asyncProperty(sample, fc.integer({ min: 1, max: 7 }), async (text, size) => {
        expect(await check('csv', text, size)).toEqual(await check('csv', text));
      }),
    );
  });

  it('gives the same report however the bytes after the sniffed head are split', async () => {
    // Past the first 64 KiB, chunks are scanned as they come: whole quote-free lines four
    // bytes at a time, the rest byte by byte. Pieces at every offset and of every size must agree.
    const head = `h1,h2,h3\n${'aaaa,bbbbbb,cc\n'.repeat(5000)}`;
    const piece = fc.constantFrom(
      'a',
      ',',
      ';',
      '"',
      '""',
      '\n',
      '\r\n',
      '\r',
      'é',
      '€',
      '\u0000',
      'x,y,z\n',
      ',,',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 300 }),
        fc.integer({ min: 1, max: 9 }),
        async (tail, size) => {
          const bytes = encoder.encode(head + tail.join(''));
          const pieces = [bytes.subarray(0, head.length - 3)];
          for (let i = head.length - 3; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
          expect(await checkContent('csv', pieces)).toEqual(await checkContent('csv', [bytes]));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('NDJSON', () => {
  it('accepts one object per line and counts records', async () => {
    const text = '{"id":1}\n\n{"id":2,"n":"é"}\n';
    expect(await check('ndjson', text)).toEqual({
      verdict: 'ok',
      findings: [],
      stats: { bytes: encoder.encode(text).length, rows: 2 },
    });
  });

  it('names the lines that are not JSON objects', async () => {
    const report = await check('ndjson', '{"id":1}\n[1,2]\n{"id":\n"text"\n{"id":5}\n');
    expect(report.verdict).toBe('rejected');
    expect(report.findings).toEqual([
      expect.objectContaining({
        code: 'content-ndjson',
        lines: [2, 3, 4],
        message: expect.stringContaining('first: line 2: an array, not an object') as unknown,
      }),
    ]);
  });

  it('checks required keys', async () => {
    const report = await check('ndjson', '{"customer_id":1}\n{"email":"a"}\n', 1024, ['customer_id']);
    expect(report.findings).toEqual([
      expect.objectContaining({
        code: 'content-ndjson-keys',
        lines: [2],
        message: expect.stringContaining("'customer_id'") as unknown,
      }),
    ]);
  });

  it('reports a line longer than the limit without keeping it', async () => {
    const long = `{"x":"${'a'.repeat(5000)}"}`;
    const report = await checkContent(
      'ndjson',
      chunksOf(encoder.encode(`{"id":1}\n${long}\n{"id":3}\n`), 100),
      {
        maxLineLength: 1000,
      },
    );
    expect(report.findings).toEqual([expect.objectContaining({ code: 'content-line-too-long', lines: [2] })]);
    expect(report.stats.rows).toBe(2);
  });

  it('gives the same report however the bytes are split into chunks', async () => {
    const text = '{"a":1}\n{"a":\n[]\n{"b":"é"}\n';
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 9 }), async (size) => {
        expect(await check('ndjson', text, size)).toEqual(await check('ndjson', text));
      }),
    );
  });

  it('finds a bad line however far into a large chunk it lies', async () => {
    // Lines of 1,001 bytes in one 1 MiB chunk: many of them straddle the check's decoding slices.
    const good = `{"v":"${'a'.repeat(992)}"}\n`;
    const bad = `{"v":"${'b'.repeat(993)}\n`;
    const lines = Array.from({ length: 1000 }, (_, i) => (i === 700 ? bad : good));
    const report = await check('ndjson', lines.join(''), 1024 * 1024);
    expect(report.findings).toEqual([expect.objectContaining({ code: 'content-ndjson', lines: [701] })]);
    expect(report.stats.rows).toBe(999);
  });
});

describe('JSON', () => {
  it('accepts a document and counts the items of a top-level array', async () => {
    expect(await check('json', '[{"id":1},\n{"id":2}]\n', 3)).toMatchObject({
      verdict: 'ok',
      stats: { rows: 2 },
    });
    expect(await check('json', '\uFEFF{"a": {"b": [1, 2]}}')).toMatchObject({ verdict: 'ok' });
  });

  it.each([
    ['[{"id":1},\n{"id" 2}]', 2],
    ['[1,\n2,\n', 3],
    ['{"a":1}\n{"b":2}', 2],
  ])('rejects %j, naming line %i', async (text, line) => {
    const report = await check('json', text, 4);
    expect(report.verdict).toBe('rejected');
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'content-json', lines: [line] }));
  });

  it('rejects an empty document', async () => {
    expect(codes(await check('json', '  \n'))).toEqual(['content-empty']);
  });
});

describe('contentFormat', () => {
  it.each([
    ['csv', 'csv'],
    ['csv.gz', 'csv'],
    ['ndjson.gz', 'ndjson'],
    ['json', 'json'],
    ['txt', undefined],
  ])('reads %s as %s', (ext, format) => {
    expect(contentFormat(ext)).toBe(format);
  });
});

describe('a file that cannot be read to its end', () => {
  function* failing(error: Error): Iterable<Uint8Array> {
    yield encoder.encode('id,name\n');
    throw error;
  }

  it('is rejected as unreadable with the cause', async () => {
    const report = await checkContent('csv', failing(new Error('EACCES: permission denied')));
    expect(report).toMatchObject({
      verdict: 'rejected',
      findings: [
        { code: 'content-unreadable', message: 'the file could not be read: EACCES: permission denied' },
      ],
    });
  });

  it('passes an abort on instead of reporting it', async () => {
    const abort = Object.assign(new Error('paused'), { name: 'AbortError' });
    await expect(checkContent('csv', failing(abort))).rejects.toBe(abort);
  });
});

describe('delimiter sniffing', () => {
  it.each([
    ['a one-column file whose header holds a semicolon', 'note;x\nhello\nworld\n', ','],
    ['a semicolon file whose quoted fields hold commas', 'a;b\n"1,5";"x,y"\n2;3\n', ';'],
    ['a comma file with semicolons in its values', 'a,b\n1;2,x\n3,y;z;w\n', ','],
    ['a ragged semicolon file', 'a;b;c\n1;2\n3;4;5\n', ';'],
  ])('reads %s', async (_what, text, delimiter) => {
    expect((await check('csv', text)).stats.delimiter).toBe(delimiter);
  });
});
