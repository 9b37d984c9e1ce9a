/**
 * Files that are never deliveries: hidden files, editor and office lock files,
 * and downloads or copies still being written. They are skipped quietly
 * instead of being reported as badly named.
 */
const TEMPORARY_SUFFIXES = ['.tmp', '.temp', '.part', '.partial', '.crdownload', '.download', '.swp', '.swx'];

const SYSTEM_FILES = new Set(['thumbs.db', 'desktop.ini']);

/** Why `name` is ignored, or undefined when it is a candidate for delivery. */
export function ignoredReason(name: string): string | undefined {
  if (name.startsWith('.')) return 'hidden file';
  if (name.startsWith('~$')) return 'office lock file';
  if (name.endsWith('~')) return 'editor backup file';
  const lower = name.toLowerCase();
  if (SYSTEM_FILES.has(lower)) return 'operating system file';
  const suffix = TEMPORARY_SUFFIXES.find((s) => lower.endsWith(s));
  if (suffix !== undefined) return `temporary or partial file (${suffix})`;
  return undefined;
}
