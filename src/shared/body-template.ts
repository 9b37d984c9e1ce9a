import { isJsonObject, type JsonValue } from './json-value.js';

/**
 * A request body template: any JSON value whose strings may hold `{name}` placeholders,
 * such as `{"filename": "{filename}", "dataset_id": "{dataset}"}`.
 */
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/**
 * Variables every delivery provides, whatever the folder's naming rule: the file name,
 * its extension (`csv.gz`) and its type (the extension without `.gz`: `csv`).
 */
export const BUILTIN_VARIABLES = ['filename', 'ext', 'type'] as const;

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** Placeholder names used anywhere in the template, each once, in order of appearance. */
export function templateVariables(template: JsonValue): string[] {
  const names = new Set<string>();
  const visit = (value: JsonValue): void => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(PLACEHOLDER)) names.add(match[1] ?? '');
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (isJsonObject(value)) {
      Object.values(value).forEach(visit);
    }
  };
  visit(template);
  return [...names];
}

/** Fills every placeholder; a missing variable is an error, never an empty string sent to a vendor. */
export function renderTemplate(template: JsonValue, variables: Readonly<Record<string, string>>): JsonValue {
  if (typeof template === 'string') {
    return template.replace(PLACEHOLDER, (_, name: string) => {
      const value = variables[name];
      if (value === undefined) throw new TemplateError(`the request body uses {${name}}, which has no value`);
      return value;
    });
  }
  if (Array.isArray(template)) return template.map((item: JsonValue) => renderTemplate(item, variables));
  if (isJsonObject(template)) {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, renderTemplate(v, variables)]));
  }
  return template;
}
