import type { ContentFinding } from './content-report.js';

/** Splits one CSV record (already known to be complete) into its fields. */
export function splitRecord(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (quoted) {
      if (c !== '"') field += c;
      else if (text.charAt(i + 1) === '"') {
        field += '"';
        i += 1;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c !== '\r' && c !== '\n') field += c;
  }
  fields.push(field);
  return fields;
}

const NUMBER = /^\s*-?\d+(?:[.,]\d+)?\s*$/;

/** What is wrong with a header row: unnamed or repeated columns, or a row that is data. */
export function headerProblems(names: readonly string[]): ContentFinding[] {
  const problems: ContentFinding[] = [];
  const unnamed = names.flatMap((name, i) => (name.trim() === '' ? [i + 1] : []));
  if (unnamed.length > 0 && unnamed.length < names.length) {
    problems.push({
      code: 'content-csv-header',
      severity: 'error',
      message: `the header row has no name for column ${unnamed.join(', ')}`,
      lines: [1],
    });
  }
  const firstSeen = new Map<string, number>();
  names.forEach((name, i) => {
    const key = name.trim();
    const first = firstSeen.get(key);
    if (key !== '' && first !== undefined) {
      problems.push({
        code: 'content-csv-header',
        severity: 'error',
        message: `the header row names column ${first} and column ${i + 1} both '${key}'`,
        lines: [1],
      });
    }
    if (first === undefined) firstSeen.set(key, i + 1);
  });
  if (names.every((name) => name.trim() === '' || NUMBER.test(name))) {
    problems.push({
      code: 'content-csv-header',
      severity: 'error',
      message: 'the first row holds no column names (it looks like data): a header row is required',
      lines: [1],
    });
  }
  return problems;
}
