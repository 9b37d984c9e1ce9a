import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { keyPath, orderIssues } from '../../../src/engine/schema/issue-order.js';

const item = z.strictObject(
  { x: z.number({ error: 'x' }), y: z.number({ error: 'y' }) },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? 'unknown' : 'item') },
);
const schema = z
  .strictObject(
    {
      first: z.string({ error: 'first' }),
      list: z.array(item, { error: 'list' }).optional(),
      map: z.record(z.string(), z.number({ error: 'entry' })).optional(),
      last: z.string({ error: 'last' }).transform((s) => s.length),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? 'unknown' : 'root') },
  )
  // A check across keys runs last in zod, and is named at the key it is about.
  .superRefine(
    (value: { list?: unknown }, ctx) => {
      ctx.addIssue({ code: 'custom', path: ['first'], message: 'first, across' });
      if (value.list !== undefined)
        ctx.addIssue({ code: 'custom', path: ['list', 0], message: 'item 0, as a whole' });
    },
    { when: () => true },
  );

function order(input: unknown): string[] {
  const result = schema.safeParse(input);
  if (result.success) throw new Error('expected issues');
  return orderIssues(schema, input, result.error.issues).map(
    (issue) => `${keyPath(issue.path)}${issue.unknownKey ? ' (unknown)' : ''}: ${issue.message}`,
  );
}

describe('orderIssues', () => {
  it('lists unknown keys first, then the keys in the order the schema declares them', () => {
    expect(order({ last: 1, zz: 0, first: 2, aa: 0 })).toEqual([
      'zz (unknown): unknown',
      'aa (unknown): unknown',
      'first: first',
      'first: first, across',
      'last: last',
    ]);
  });

  it('keeps list entries in order, map entries in the order of the input, and an object after its keys', () => {
    expect(
      order({
        first: 'ok',
        last: 'ok',
        map: { b: 'x', a: 'y' },
        list: [
          { y: 'no', x: 'no', w: 1 },
          { x: 1, y: 'no' },
        ],
      }),
    ).toEqual([
      'first: first, across',
      'list[0].w (unknown): unknown',
      'list[0].x: x',
      'list[0].y: y',
      'list[0]: item 0, as a whole',
      'list[1].y: y',
      'map.b: entry',
      'map.a: entry',
    ]);
  });
});

describe('keyPath', () => {
  it('writes object keys with dots and list indexes in brackets', () => {
    expect(keyPath([])).toBe('(root)');
    expect(keyPath(['targets', 'vendor', 'endpoint'])).toBe('targets.vendor.endpoint');
    expect(keyPath(['folders', 1, 'fields', 'data-set'])).toBe('folders[1].fields.data-set');
  });
});
