import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

interface Record {
  file: string;
  status: string;
  code?: string;
  content?: { verdict: string; findings: { code: string; severity: string; lines?: number[] }[] };
}

function checkContents(...paths: string[]) {
  const result = spawnSync(process.execPath, ['bin/ferry.js', 'check', '--content', '--json', ...paths], {
    encoding: 'utf8',
  });
  return { code: result.status, records: JSON.parse(result.stdout) as Record[] };
}

const FILES = {
  'good-2024-06-12-1.csv': 'id,name\n1,Ada\n2,"Lovelace, Ada"\n',
  'ragged-2024-06-12-1.csv': 'id,name\n1,Ada\n2\n3,x,y\n4,ok\n',
  'semicolon-2024-06-12-1.csv': 'id;name\n1;Ada\n',
  'bom-2024-06-12-1.csv': '\uFEFFid,name\n1,Ada\n',
  'good-2024-06-12-1.ndjson': '{"id":1}\n{"id":2}\n',
  'broken-2024-06-12-1.ndjson': '{"id":1}\nnot json\n{"id":3}\n[4]\n',
  'good-2024-06-12-1.json': '[{"id":1},{"id":2}]',
  'broken-2024-06-12-1.json': '[{"id":1},\n{"id":2]\n',
};

/** [file, status, content codes, first error's lines] for each file and its gzip twin. */
const EXPECTED: [string, string, string[], number[]?][] = [
  ['good-2024-06-12-1.csv', 'valid', []],
  ['ragged-2024-06-12-1.csv', 'rejected', ['content-csv-columns'], [3, 4]],
  ['semicolon-2024-06-12-1.csv', 'valid', ['content-csv-delimiter']],
  ['bom-2024-06-12-1.csv', 'valid', ['content-bom']],
  ['good-2024-06-12-1.ndjson', 'valid', []],
  ['broken-2024-06-12-1.ndjson', 'rejected', ['content-ndjson'], [2, 4]],
  ['good-2024-06-12-1.json', 'valid', []],
  ['broken-2024-06-12-1.json', 'rejected', ['content-json'], [2]],
];

let folder = '';

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'ferry-content-'));
  for (const [name, text] of Object.entries(FILES)) {
    writeFileSync(join(folder, name), text);
    writeFileSync(join(folder, `${name}.gz`), gzipSync(text));
  }
});

describe('ferry check --content', () => {
  const cases = EXPECTED.flatMap(([name, status, codes, lines]) =>
    [name, `${name}.gz`].map((file) => ({ file, status, codes, lines })),
  );

  it.each(cases)('$file is $status with findings $codes', ({ file: name, status, codes, lines }) => {
    const { records } = checkContents(join(folder, name));
    const [record] = records;
    expect(record?.status).toBe(status);
    expect(record?.content?.findings.map((f) => f.code)).toEqual(codes);
    if (lines !== undefined) {
      expect(record?.code).toBe(codes[0]);
      expect(record?.content?.findings[0]?.lines).toEqual(lines);
    }
  });

  it('exits 1 when any file has broken contents and 0 when all are sound', () => {
    expect(checkContents(folder).code).toBe(1);
    expect(
      checkContents(join(folder, 'good-2024-06-12-1.csv'), join(folder, 'bom-2024-06-12-1.csv.gz')).code,
    ).toBe(0);
  });

  it('reports a corrupt gzip file clearly instead of crashing', () => {
    const corrupt = join(folder, 'corrupt-2024-06-12-1.csv.gz');
    writeFileSync(corrupt, 'this is not gzip');
    const result = spawnSync(process.execPath, ['bin/ferry.js', 'check', '--content', corrupt], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/content-unreadable: .*incorrect header check/);
  });
});
