import { describe, expect, it } from 'vitest';
import { renderTemplate, templateVariables, TemplateError } from '../../src/shared/body-template.js';
import { readDotPath } from '../../src/shared/dot-path.js';

describe('body templates', () => {
  const template = {
    filename: '{filename}',
    meta: { id: '{dataset}', tags: ['{ext}', 'fixed'] },
    n: 3,
    on: true,
  };

  it('lists the variables used, once each', () => {
    expect(templateVariables({ ...template, again: '{filename}-{date}' })).toEqual([
      'filename',
      'dataset',
      'ext',
      'date',
    ]);
  });

  it('fills every string, leaving other JSON values alone', () => {
    expect(renderTemplate(template, { filename: 'a-2024-01-01-1.csv', dataset: 'ds1', ext: 'csv' })).toEqual({
      filename: 'a-2024-01-01-1.csv',
      meta: { id: 'ds1', tags: ['csv', 'fixed'] },
      n: 3,
      on: true,
    });
  });

  it('refuses to send a placeholder it cannot fill', () => {
    expect(() => renderTemplate(template, { filename: 'x' })).toThrow(
      new TemplateError('the request body uses {dataset}, which has no value'),
    );
  });

  it('does not re-expand braces inside a value', () => {
    expect(renderTemplate('{a}', { a: '{b}', b: 'no' })).toBe('{b}');
  });
});

describe('readDotPath', () => {
  const answer = { id: 123, data: { upload: { url: 'https://u' } }, items: [{ id: 'x' }] };

  it('walks objects and arrays', () => {
    expect(readDotPath(answer, 'id')).toBe(123);
    expect(readDotPath(answer, 'data.upload.url')).toBe('https://u');
    expect(readDotPath(answer, 'items.0.id')).toBe('x');
  });

  it('gives undefined for missing steps and never reaches the prototype', () => {
    expect(readDotPath(answer, 'data.nope.url')).toBeUndefined();
    expect(readDotPath(answer, 'items.5.id')).toBeUndefined();
    expect(readDotPath(answer, 'constructor')).toBeUndefined();
    expect(readDotPath('text', 'length')).toBeUndefined();
  });
});
