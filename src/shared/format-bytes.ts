const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** `5368709120` → `5 GiB`, `1536` → `1.5 KiB`: sizes as people read them in messages. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = unit === 0 ? String(value) : String(Math.round(value * 10) / 10);
  return `${rounded} ${UNITS[unit] ?? 'B'}`;
}
