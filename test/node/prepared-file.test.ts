import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { prepareFile } from '../../src/node/prepared-file.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('prepared');
const signal = new AbortController().signal;

async function sourceFile(name: string, bytes: Uint8Array): Promise<{ path: string; tmp: string }> {
  const dir = await tempDir();
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { path, tmp: join(dir, 'tmp') };
}

/** Rows enough to span many read chunks and output buffers. */
const csv = `id,name\n${Array.from({ length: 120_000 }, (_, i) => `${i},"Zoë ""${i}"""`).join('\n')}\n`;
const ndjsonLines = (text: string) => text.split('\n').filter((line) => line !== '');

describe('prepareFile', () => {
  it('converts the CSV inside a .csv.gz into NDJSON', async () => {
    const { path, tmp } = await sourceFile('daily-2024-06-12-v1.csv.gz', gzipSync(csv));
    const prepared = await prepareFile(
      tmp,
      path,
      'daily-2024-06-12-v1.csv.gz',
      { convert: 'csv-to-ndjson' },
      signal,
    );
    expect(prepared.name).toBe('daily-2024-06-12-v1.ndjson');
    const lines = ndjsonLines(await readFile(prepared.path, 'utf8'));
    expect(lines).toHaveLength(120_000);
    expect(JSON.parse(lines[7] ?? '')).toEqual({ id: '7', name: 'Zoë "7"' });
    await prepared.cleanup();
    expect(await readdir(tmp)).toEqual([]);
  });

  it('compresses through gzip byte for byte, converted or as it is', async () => {
    const raw = randomBytes(5 * 1024 * 1024 + 3);
    const plain = await sourceFile('blob-2024-06-12-v1.csv', raw);
    const zipped = await prepareFile(
      plain.tmp,
      plain.path,
      'blob-2024-06-12-v1.csv',
      { compress: 'gzip' },
      signal,
    );
    expect(zipped.name).toBe('blob-2024-06-12-v1.csv.gz');
    expect(gunzipSync(await readFile(zipped.path)).equals(raw)).toBe(true);

    const table = await sourceFile('daily-2024-06-12-v1.csv', Buffer.from(csv));
    const both = await prepareFile(
      table.tmp,
      table.path,
      'daily-2024-06-12-v1.csv',
      { convert: 'csv-to-ndjson', compress: 'gzip' },
      signal,
    );
    expect(both.name).toBe('daily-2024-06-12-v1.ndjson.gz');
    const lines = ndjsonLines(gunzipSync(await readFile(both.path)).toString('utf8'));
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(
      Array.from({ length: 120_000 }, (_, i) => String(i)),
    );
  });

  it('leaves no copy behind when the conversion stops', async () => {
    const { path, tmp } = await sourceFile('broken-2024-06-12-v1.csv', Buffer.from(`${csv}1,2,3\n`));
    await expect(
      prepareFile(tmp, path, 'broken-2024-06-12-v1.csv', { convert: 'csv-to-ndjson' }, signal),
    ).rejects.toThrow('line 120002: 3 field(s) where the header has 2');
    expect(await readdir(tmp)).toEqual([]);
  });
});
