import type { JsonValue } from './json-value.js';

/**
 * What a vendor reports of an import it finished (rows, columns, bytes…), kept under the names
 * the vendor gave them: Ferry cannot know every vendor's words, and a script reading
 * `ferry jobs --json` should find the vendor's own.
 */
export type ImportStatistics = Readonly<Record<string, JsonValue>>;

/** `rowCount` and `rows_imported` read as `row count` and `rows imported`. */
function words(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
}

function part(key: string, value: JsonValue): string | undefined {
  if (typeof value === 'number') return `${value.toLocaleString('en-US')} ${words(key)}`;
  if (typeof value === 'string' || typeof value === 'boolean') return `${words(key)} ${String(value)}`;
  // Nested figures stay in the JSON; one line cannot show them well.
  return undefined;
}

/** `12,345 rows, 8 columns`: the figures a person reads; '' when there are none. */
export function formatStatistics(statistics: ImportStatistics | undefined): string {
  if (statistics === undefined) return '';
  return Object.entries(statistics)
    .flatMap(([key, value]) => part(key, value) ?? [])
    .join(', ');
}
