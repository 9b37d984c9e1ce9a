import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkContent } from '../../../src/engine/content/check-content.js';
import {
  ConversionError,
  csvToNdjson,
  type ConversionOptions,
} from '../../../src/engine/content/csv-to-ndjson.js';

const encoder = new TextEncoder();

function* piecesOf(bytes: Uint8Array, size: number): Iterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function convert(csv: string, options: ConversionOptions = {}, pieceSize = 1 << 16): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const part of csvToNdjson(piecesOf(encoder.encode(csv), pieceSize), options)) parts.push(part);
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
  ] as const)('stops on %j with a reason naming the line', async (csv, options, message) => {
    await expect(convert(csv, options)).rejects.toThrow(ConversionError);
    await expect(convert(csv, options)).rejects.toThrow(message);
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
