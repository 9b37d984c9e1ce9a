const QUOTE = 0x22;
const LF = 0x0a;

export const CANDIDATE_DELIMITERS = [0x2c, 0x3b, 0x09] as const; // comma, semicolon, tab

/** How many complete lines of the head are compared. */
const SAMPLE_LINES = 20;

/** Counts each candidate outside quotes, line by line, over the complete lines of `head`. */
function countsPerLine(head: Uint8Array): number[][] {
  const lines: number[][] = [];
  let counts = CANDIDATE_DELIMITERS.map(() => 0);
  let inQuotes = false;
  let blank = true;
  for (let i = 0; i < head.length && lines.length < SAMPLE_LINES; i += 1) {
    const byte = head[i] ?? 0;
    if (byte === QUOTE) inQuotes = !inQuotes;
    if (inQuotes) continue;
    if (byte === LF) {
      if (!blank) lines.push(counts);
      counts = CANDIDATE_DELIMITERS.map(() => 0);
      blank = true;
      continue;
    }
    if (byte !== 0x0d) blank = false;
    const candidate = CANDIDATE_DELIMITERS.indexOf(byte as (typeof CANDIDATE_DELIMITERS)[number]);
    if (candidate >= 0) counts[candidate] = (counts[candidate] ?? 0) + 1;
  }
  if (lines.length === 0 && !blank) lines.push(counts);
  return lines;
}

/**
 * Guesses a CSV file's delimiter from its first lines, counting outside
 * quotes. A delimiter that splits every line into the same number of fields
 * wins (the most fields, then comma, semicolon, tab). A file with no such
 * delimiter is ragged anyway: the candidate found on most of its lines (more
 * than half) is taken so the rows can be reported against it. Comma when
 * there is nothing to go on, as in a one-column file whose header happens to
 * hold a semicolon.
 */
export function sniffDelimiter(head: Uint8Array): number {
  const lines = countsPerLine(head);
  const [first] = lines;
  if (first === undefined) return CANDIDATE_DELIMITERS[0];
  const consistent = CANDIDATE_DELIMITERS.map((_, c) =>
    (first[c] ?? 0) > 0 && lines.every((line) => line[c] === first[c]) ? (first[c] ?? 0) : 0,
  );
  const pick = (scores: number[]) => {
    const best = Math.max(...scores);
    return best > 0 ? CANDIDATE_DELIMITERS[scores.indexOf(best)] : undefined;
  };
  const linesWith = CANDIDATE_DELIMITERS.map((_, c) => lines.filter((line) => (line[c] ?? 0) > 0).length);
  const widespread = linesWith.map((n) => (n * 2 > lines.length ? n : 0));
  return pick(consistent) ?? pick(widespread) ?? CANDIDATE_DELIMITERS[0];
}
