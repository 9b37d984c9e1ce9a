import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkContent } from '../../../src/engine/content/check-content.js';
import { ConversionError } from '../../../src/engine/content/column-types.js';
import { csvToNdjson, type ConversionOptions } from '../../../src/engine/content/csv-to-ndjson.js';

const encoder = new TextEncoder();

function* piecesOf(bytes: Uint8Array, size: number): Iterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function convert(csv: string, options: ConversionOptions = {}, pieceSize = 1 << 16): Promise<string> {
  const parts: Uint8Array[] = [];
  // Copied: the converter lends its output buffer until the next part is asked for.
  for await (const part of csvToNdjson(piecesOf(encoder.encode(csv), pieceSize), options))
    parts.push(part.slice());
  return new TextDecoder().decode(Buffer.concat(parts));
}

const rowsOf = (ndjson: string) =>
  ndjson
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);

/**
 * CSV as a careful writer produces it: a field holding a quote, a newline or
 * anything that could be a delimiter is quoted (an unquoted ';' in a
 * one-column file would honestly look like a semicolon-separated one).
 */
function toCsv(rows: readonly (readonly string[])[], delimiter = ',', newline = '\n'): string {
  const quote = (field: string) => (/["\r\n,;\t]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);
  return rows.map((row) => row.map(quote).join(delimiter)).join(newline) + newline;
}

describe('csvToNdjson', () => {
  it('turns each row into an object keyed by the header', async () => {
    const ndjson = await convert('id,name,note\n1,Ada,"says ""hi"", then\nleaves"\n2,Zoë,\n');
    expect(ndjson).toBe(
      '{"id":"1","name":"Ada","note":"says \\"hi\\", then\\nleaves"}\n{"id":"2","name":"Zoë","note":""}\n',
    );
  });

  it('keys columns named like Object.prototype members as any other, untyped', async () => {
    const ndjson = await convert('toString,constructor\n1,2\n', { types: {} });
    expect(ndjson).toBe('{"toString":"1","constructor":"2"}\n');
  });

  it('types the columns it is told about', async () => {
    const csv = 'id;amount;active;day;note\n1;12.50;yes;2024-06-12;x\n2;;FALSE;2024-06-13T10:00:00Z;\n';
    const options: ConversionOptions = {
      types: { id: 'number', amount: 'number', active: 'boolean', day: 'date' },
    };
    expect(rowsOf(await convert(csv, options))).toEqual([
      { id: 1, amount: 12.5, active: true, day: '2024-06-12', note: 'x' },
      { id: 2, amount: null, active: false, day: '2024-06-13T10:00:00Z', note: '' },
    ]);
  });

  it.each([
    ['id,name\n1,Ada\n2\n', {}, 'line 3: 1 field(s) where the header has 2'],
    ['id\nabc\n', { types: { id: 'number' } }, "line 2: 'abc' in column 'id' is not a number"],
    ['ok\nmaybe\n', { types: { ok: 'boolean' } }, "line 2: 'maybe' in column 'ok' is not true or false"],
    ['d\n12/06/2024\n', { types: { d: 'date' } }, "line 2: '12/06/2024' in column 'd' is not an ISO date"],
    ['a,b\n1,"open\n2,3\n', {}, 'line 2: a quoted field is never closed'],
    ['id,name,id\n1,Ada,2\n', {}, "line 1: the header names the column 'id' twice"],
    [
      'name,email\nAda,a@x\n',
      { requiredKeys: ['email', 'customer_id', 'tier'] },
      "line 1: the header has no column 'customer_id', 'tier', which every record must have",
    ],
  ] as const)('stops on %j with a reason naming the line', async (csv, options, message) => {
    await expect(convert(csv, options)).rejects.toThrow(ConversionError);
    await expect(convert(csv, options)).rejects.toThrow(message);
  });

  it("drops the file's byte-order mark and stops at bytes that are not UTF-8, naming the line", async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(rowsOf(await convert(`${bom.toString()}id,name\n1,\ufeffAda\n`))).toEqual([
      { id: '1', name: '\ufeffAda' },
    ]);
    const latin1 = Buffer.concat([
      Buffer.from('id,name\n1,Ada\n2,Zo'),
      Buffer.from([0xeb]),
      Buffer.from('\n'),
    ]);
    const parts = async () => {
      for await (const part of csvToNdjson([latin1])) expect(part.length).toBeGreaterThan(0);
    };
    await expect(parts()).rejects.toThrow('line 3: not valid UTF-8');
  });

  it('lends one output buffer for ordinary rows, whatever the file size', async () => {
    const csv = `id,name\n${'7,Ada Lovelace\n'.repeat(200_000)}`;
    const buffers = new Set<ArrayBufferLike>();
    let bytes = 0;
    for await (const part of csvToNdjson(piecesOf(encoder.encode(csv), 1 << 20))) {
      buffers.add(part.buffer);
      bytes += part.length;
    }
    expect(bytes).toBe('{"id":"7","name":"Ada Lovelace"}\n'.length * 200_000);
    expect(buffers.size).toBe(1);
  });

  it('keeps rows whole and in order when they outgrow the output buffer', async () => {
    // Long header names make each short row about 30 times its CSV size, and one field alone
    // is larger than the whole output buffer.
    const header = ['a'.repeat(40), 'b'.repeat(40)];
    const rows = Array.from({ length: 20_000 }, (_, i) => [
      String(i),
      i === 9_000 ? 'x'.repeat(300_000) : 'y',
    ]);
    const ndjson = await convert(toCsv([header, ...rows]));
    expect(rowsOf(ndjson)).toEqual(rows.map(([a, b]) => ({ [header[0] ?? '']: a, [header[1] ?? '']: b })));
  });

  it('round-trips any table through CSV, in pieces of any size, into NDJSON the check accepts', async () => {
    const name = fc.string({ minLength: 1, maxLength: 8 }).filter((n) => n.trim() === n && n !== '');
    const cell = fc.string({
      unit: fc.oneof(
        fc.constantFrom(',', ';', '"', '\n', '\r\n', ' ', 'a', 'é', '😀', '中'),
        fc.string({ maxLength: 1 }),
      ),
      maxLength: 12,
    });
    const table = fc
      .uniqueArray(name, { minLength: 1, maxLength: 5 })
      .chain((header) =>
        fc.tuple(
          fc.constant(header),
          fc.array(fc.array(cell, { minLength: header.length, maxLength: header.length }), { maxLength: 8 }),
        ),
      )
      // A row of one empty field is a blank line in CSV: no writer can tell them apart.
      .filter(([header, rows]) => header.length > 1 || rows.every((row) => row[0] !== ''));
    await fc.assert(
      fc.asyncProperty(
        table,
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom('\n', '\r\n'),
        async ([header, rows], size, newline) => {
          const ndjson = await convert(toCsv([header, ...rows], ',', newline), {}, size);
          const expected = rows.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i]])));
          expect(rowsOf(ndjson)).toEqual(expected);
          if (rows.length > 0)
            expect((await checkContent('ndjson', [encoder.encode(ndjson)])).verdict).toBe('ok');
        },
      ),
      { numRuns: 300 },
    );
  });
});
