/** How a CSV column's text becomes a JSON value. Empty text is null for every type but string. */
export type ColumnType = 'string' | 'number' | 'boolean' | 'date';

/** Why a CSV file could not be turned into NDJSON, with the line to look at. */
export class ConversionError extends Error {
  override readonly name = 'ConversionError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const BOOLEANS: Readonly<Record<string, boolean>> = {
  true: true,
  false: false,
  yes: true,
  no: false,
  '1': true,
  '0': false,
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** The JSON value of one field of a typed column; a ConversionError names what does not fit. */
export function typed(text: string, type: ColumnType, column: string, line: number): unknown {
  if (type === 'string') return text;
  const trimmed = text.trim();
  if (trimmed === '') return null;
  switch (type) {
    case 'number': {
      const value = Number(trimmed);
      if (!Number.isFinite(value))
        throw new ConversionError(`'${text}' in column '${column}' is not a number`, line);
      return value;
    }
    case 'boolean': {
      const value = BOOLEANS[trimmed.toLowerCase()];
      if (value === undefined)
        throw new ConversionError(`'${text}' in column '${column}' is not true or false`, line);
      return value;
    }
    case 'date':
      if (!ISO_DATE.test(trimmed) || Number.isNaN(Date.parse(trimmed))) {
        throw new ConversionError(`'${text}' in column '${column}' is not an ISO date (YYYY-MM-DD)`, line);
      }
      return trimmed;
  }
}
