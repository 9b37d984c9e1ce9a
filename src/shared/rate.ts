/**
 * A transfer rate as curl's --limit-rate writes it: `5M` is 5 MiB/s, `500K` 500 KiB/s,
 * `1.5G`, or plain bytes per second. Suffixes are binary (1024), as in curl.
 */
const RATE = /^(\d+(?:\.\d+)?)\s*([kmg])?(?:i?b)?(?:\/s)?$/i;
const UNITS = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as const;

/** Bytes per second, or a message saying what is wrong. */
export function parseRate(text: string): number | { readonly problem: string } {
  const match = RATE.exec(text.trim());
  const unit = match?.[2]?.toLowerCase() as keyof typeof UNITS | undefined;
  const value = match === null ? Number.NaN : Number(match[1]) * (unit === undefined ? 1 : UNITS[unit]);
  // Below 1 KiB/s an upload would trip its own stall guard between chunks.
  if (!Number.isFinite(value) || value < 1024) {
    return { problem: `'${text}' is not a rate of at least 1K (e.g. 500K, 5M, 1G: bytes per second)` };
  }
  return Math.floor(value);
}
