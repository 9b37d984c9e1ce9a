/**
 * A transfer rate as curl's --limit-rate writes it: `5M` is 5 MiB/s, `500K` 500 KiB/s,
 * `1.5G`, or plain bytes per second. Suffixes are binary (1024), as in curl.
 */
const RATE = /^(\d+(?:\.\d+)?)\s*([kmg])?(?:i?b)?(?:\/s)?$/i;
const UNITS = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as const;
const MAX_RATE = 1024 ** 4;

/** Bytes per second, or a message saying what is wrong. */
export function parseRate(text: string): number | { readonly problem: string } {
  const match = RATE.exec(text.trim());
  const unit = match?.[2]?.toLowerCase() as keyof typeof UNITS | undefined;
  const value = match === null ? Number.NaN : Number(match[1]) * (unit === undefined ? 1 : UNITS[unit]);
  // Below 1 KiB/s an upload would trip its own stall guard between chunks; 1 TiB/s is no cap.
  if (!Number.isFinite(value) || value < 1024 || value > MAX_RATE) {
    return { problem: `'${text}' is not a rate from 1K to 1024G (e.g. 500K, 5M, 1G: bytes per second)` };
  }
  return Math.floor(value);
}
