import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonLines } from '../../src/node/json-lines.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('json-lines');

async function read(content: string | Buffer, accept: (value: unknown) => boolean = () => true) {
  const path = join(await tempDir(), 'file');
  await writeFile(path, content);
  const values: unknown[] = [];
  const report = await readJsonLines(path, (value) => {
    const ok = accept(value);
    if (ok) values.push(value);
    return ok;
  });
  return { values, report };
}

describe('readJsonLines', () => {
  it('reads a missing file as empty', async () => {
    let calls = 0;
    const report = await readJsonLines(join(await tempDir(), 'missing'), () => {
      calls += 1;
      return true;
    });
    expect(calls).toBe(0);
    expect(report).toEqual({
      lines: 0,
      skipped: 0,
      unterminated: false,
      tornTail: false,
      terminatedBytes: 0,
    });
  });

  it('hands over each line, skipping blank ones and counting refused and unparsable ones', async () => {
    const { values, report } = await read(
      '{"a":1}\n\n  \n[2]\n{oops\n"three"\n',
      (value) => value !== 'three',
    );
    expect(values).toEqual([{ a: 1 }, [2]]);
    expect(report).toEqual({
      lines: 4,
      skipped: 2,
      unterminated: false,
      tornTail: false,
      terminatedBytes: 30,
    });
  });

  it('reports a torn last line and the bytes before it', async () => {
    const { values, report } = await read('{"a":1}\n{"b":');
    expect(values).toEqual([{ a: 1 }]);
    expect(report).toEqual({ lines: 2, skipped: 1, unterminated: true, tornTail: true, terminatedBytes: 8 });
  });

  it('keeps an unterminated last line that is whole', async () => {
    const { values, report } = await read('{"a":1}\n{"b":2}');
    expect(values).toEqual([{ a: 1 }, { b: 2 }]);
    expect(report).toMatchObject({ unterminated: true, tornTail: false, terminatedBytes: 8 });
  });

  it('joins lines and multi-byte characters split across stream chunks', async () => {
    // Far larger than the 64 KiB chunks of a file stream, with a 3-byte character at every offset.
    const text = '€'.repeat(50_000);
    const lines = [JSON.stringify({ text }), JSON.stringify({ text: `x${text}` }), JSON.stringify({ n: 3 })];
    const { values, report } = await read(Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
    expect(values).toEqual([{ text }, { text: `x${text}` }, { n: 3 }]);
    expect(report.skipped).toBe(0);
    expect(report.terminatedBytes).toBe(Buffer.byteLength(`${lines.join('\n')}\n`));
  });
});
