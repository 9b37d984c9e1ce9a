import { describe, expect, it } from 'vitest';
import { CsvShape } from '../../src/sandbox/csv-shape.js';

function shapeOf(text: string, chunkSize = text.length || 1) {
  const shape = new CsvShape();
  for (let i = 0; i < text.length; i += chunkSize) {
    const error = shape.push(text.slice(i, i + chunkSize));
    if (error !== undefined) return { error };
  }
  return shape.end();
}

function errorOf(text: string): string | undefined {
  const shape = shapeOf(text);
  return 'error' in shape ? shape.error : undefined;
}

describe('CsvShape', () => {
  it('counts rows and columns, with quoted commas, quotes and newlines, in any chunking', () => {
    const csv = 'a,b,c\r\n1,"x, y",3\r\n"multi\nline",2,"say ""hi"""\n\n4,5,6';
    for (const chunk of [1, 2, 3, 7, 1000]) expect(shapeOf(csv, chunk)).toEqual({ rows: 3, columns: 3 });
  });

  it('names the ragged row', () => {
    expect(shapeOf('a,b\n1,2\n3\n')).toEqual({ error: 'row 2 (line 3) has 1 columns; the header has 2' });
    expect(errorOf('a,b\n1,2,3\n')).toContain('3 columns');
  });

  it('wants a header with distinct, non-empty names', () => {
    expect(shapeOf('')).toEqual({ error: 'the file is empty: no header row' });
    expect(errorOf('a,,c\n1,2,3\n')).toContain('column 2');
    expect(errorOf('a,b,a\n')).toContain('"a" twice');
  });

  it('reports an unterminated quote', () => {
    expect(errorOf('a,b\n1,"open\n')).toContain('unterminated');
  });

  it('accepts a header-only file with zero rows', () => {
    expect(shapeOf('a,b\n')).toEqual({ rows: 0, columns: 2 });
  });
});
