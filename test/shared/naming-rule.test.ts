import { describe, expect, it } from 'vitest';
import { checkName } from '../../src/shared/naming.js';
import { DEFAULT_RULE, exampleName, fields, parseRule, RuleError } from '../../src/shared/naming-rule.js';
import { stemPattern } from '../../src/shared/stem-pattern.js';

describe('parseRule', () => {
  it('splits the default template into fields and separators', () => {
    expect(DEFAULT_RULE.segments).toEqual([
      { kind: 'field', name: 'descriptor', type: 'text' },
      { kind: 'literal', text: '-' },
      { kind: 'field', name: 'date', type: 'date' },
      { kind: 'literal', text: '-' },
      { kind: 'field', name: 'version', type: 'version' },
    ]);
  });

  it.each([
    ['{a}{b}', /must be separated by literal text/],
    ['{a}-{a}', /uses \{a\} twice/],
    ['{a} {date}', /may hold only letters, digits/],
    ['{ext}-{date}', /\{ext\} may appear only at the end/],
    ['{a-b}-{date}', /not a field name/],
    ['{a-{date}', /unbalanced braces/],
    ['{a}}-{date}', /unbalanced/],
    ['.{ext}', /at least one field/],
  ])('rejects the template %s', (template, message) => {
    expect(() => parseRule(template)).toThrow(RuleError);
    expect(() => parseRule(template)).toThrow(message);
  });

  it('makes example names that follow the rule', () => {
    expect(exampleName(DEFAULT_RULE)).toBe('customers-2024-06-12-v1.csv');
    expect(exampleName(parseRule('{provider}_{datasetType}_{date}'))).toBe(
      'provider_datasettype_2024-06-12.csv',
    );
  });
});

describe('what a rule keeps for the names it checks', () => {
  it('builds its strict pattern once, and another rule gets its own', () => {
    const rule = parseRule('{descriptor}_{date}.{ext}');
    const strict = stemPattern(rule, { kind: 'strict' });
    expect(stemPattern(rule, { kind: 'strict' })).toBe(strict);
    expect(strict.test('sales_2024-06-12')).toBe(true);
    expect(stemPattern(DEFAULT_RULE, { kind: 'strict' }).test('sales_2024-06-12')).toBe(false);
  });

  it('keeps its fields in order however often a name is diagnosed', () => {
    const rule = parseRule('{descriptor}-{date}-{version}.{ext}');
    // A name with a bad field is diagnosed field by field from the right.
    expect(checkName('sales-2024-6-12-v1.csv', rule).status).toBe('rejected');
    expect(fields(rule).map((field) => field.name)).toEqual(['descriptor', 'date', 'version']);
    expect(checkName('sales-2024-06-12-v1.csv', rule)).toMatchObject({
      status: 'valid',
      parts: { descriptor: 'sales', date: '2024-06-12', version: 'v1' },
    });
  });
});
