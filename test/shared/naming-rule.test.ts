import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE, exampleName, parseRule, RuleError } from '../../src/shared/naming-rule.js';

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
