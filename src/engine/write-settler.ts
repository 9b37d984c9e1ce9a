import type { Clock, FileInfo } from './ports.js';

export interface SettleOptions {
  /** How long size and mtime must stay the same before a file is taken. */
  readonly windowMs: number;
  /** How often the file is looked at while it settles. */
  readonly pollMs: number;
}

export const DEFAULT_SETTLE: SettleOptions = { windowMs: 2000, pollMs: 250 };

/** What the settler needs to look at a file. */
export interface WriteProbe {
  /** Rejects with an errno `code` (ENOENT…) when the file cannot be looked at. */
  stat(path: string): Promise<FileInfo>;
  /**
   * Whether another program still holds the file open for writing, where the
   * platform can tell (Windows: an exclusive open fails); false elsewhere.
   */
  isHeldOpen(path: string): Promise<boolean>;
}

const sameFile = (a: FileInfo, b: FileInfo) => a.size === b.size && a.mtimeMs === b.mtimeMs;

/**
 * Resolves with the file's final size and mtime once they have stayed the same
 * for the settle window and no one holds the file open. A file last modified
 * longer ago than the window (found by a start-up scan) needs one confirming
 * look rather than a full window: copies that keep the source's mtime still
 * change size between looks, and that restarts the window.
 */
export async function waitUntilSettled(
  path: string,
  probe: WriteProbe,
  clock: Clock,
  options: SettleOptions,
  signal: AbortSignal,
): Promise<FileInfo> {
  let last = await probe.stat(path);
  let stableSince = clock.now();
  let required = stableSince - last.mtimeMs >= options.windowMs ? options.pollMs : options.windowMs;
  for (;;) {
    await clock.sleep(options.pollMs, signal);
    const current = await probe.stat(path);
    if (!sameFile(current, last)) {
      last = current;
      stableSince = clock.now();
      required = options.windowMs;
    } else if (clock.now() - stableSince >= required && !(await probe.isHeldOpen(path))) {
      return current;
    }
  }
}
