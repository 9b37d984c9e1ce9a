import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import type {
  FolderEvent,
  FolderSubscription,
  FolderWatcher,
  WatchOptions,
} from '../engine/folder-watcher.js';
import type { FileInfo } from '../engine/ports.js';

const HOUR = 60 * 60 * 1000;
const DEFAULT_REATTACH_MS = 5000;
const DEFAULT_POLL_MS = 1000;

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() === true;
}

/** What a look at one name found: a file (`info` only for a regular file), a folder, or nothing. */
type Look = { readonly kind: 'file'; readonly info?: FileInfo } | { readonly kind: 'folder' | 'gone' };

async function lookAt(path: string): Promise<Look> {
  try {
    // stat, not lstat: a link to a file is delivered as that file, a link to a folder is not looked into.
    const stats = await stat(path);
    if (stats.isDirectory()) return { kind: 'folder' };
    // A pipe or a device is reported without a size: the agent's own look refuses it (reading one could block).
    return stats.isFile()
      ? { kind: 'file', info: { size: stats.size, mtimeMs: stats.mtimeMs } }
      : { kind: 'file' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
    // Unreadable (EACCES…): reported as a file, so that the agent's own look records why.
    return { kind: 'file' };
  }
}

/** Marks a file to be reported at its next look, changed or not (the periodic full rescan). */
const REPORT_AGAIN = Symbol('report again');
type Known = FileInfo | null | typeof REPORT_AGAIN;

const sameAs = (known: Known | undefined, info: FileInfo | undefined) =>
  known !== undefined &&
  known !== REPORT_AGAIN &&
  (known === null ? info === undefined : info?.size === known.size && info.mtimeMs === known.mtimeMs);

/**
 * One watched folder. The OS watch is on the folder itself (inotify, FSEvents or
 * ReadDirectoryChangesW): it names every file directly inside that is created, written,
 * renamed or removed, which are the only files Ferry delivers. Each named file is looked at
 * (one stat) and reported if it is new, changed or gone. A folder that is missing is looked
 * for again every few seconds (an unplugged drive, a remounted share), and a full rescan every
 * hour reports every file again, for events the OS dropped.
 *
 * What the watcher keeps per file is its name, size and time: a folder of 10,000 files costs
 * one OS watch and about a megabyte, where chokidar (used before) added a watch and kept a
 * full `fs.Stats` per file (10,000 of the user's inotify watches and ~25 MiB more heap).
 */
class WatchedFolder implements FolderSubscription {
  private osWatch: FSWatcher | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private watching = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;
  private present = true;
  private readonly ignored: (name: string) => boolean;
  /** What was last reported of each file in the folder, by name. */
  private readonly known = new Map<string, Known>();
  /** Names the OS reported, in order, looked at one at a time (a write fires many events). */
  private readonly pending = new Set<string>();
  private looking: Promise<void> | undefined;
  private scanning = false;
  private scansAsked = 0;

  constructor(
    private readonly folder: string,
    private readonly options: WatchOptions,
    private readonly emit: (event: FolderEvent) => void,
  ) {
    const globs = options.ignore ?? [];
    this.ignored = globs.length === 0 ? () => false : picomatch([...globs], { dot: true });
    this.timers.push(
      setInterval(() => void this.checkPresence(), options.reattachIntervalMs ?? DEFAULT_REATTACH_MS),
      setInterval(() => void this.rescanReportingAll(), options.rescanIntervalMs ?? HOUR),
    );
    void this.checkPresence();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timers.forEach((t) => {
      clearInterval(t);
    });
    this.stopWatching();
    await this.looking;
  }

  private async checkPresence(): Promise<void> {
    const exists = await isFolder(this.folder);
    if (this.closed) return;
    if (exists && !this.watching) {
      const wasMissing = !this.present;
      this.present = true;
      if (wasMissing) this.emit({ type: 'folder-back', folder: this.folder });
      await this.startWatching();
    } else if (!exists && this.present) {
      this.present = false;
      this.stopWatching();
      this.emit({
        type: 'folder-missing',
        folder: this.folder,
        reason: `${this.folder} does not exist or is not a folder`,
      });
    }
  }

  /** Subscribes before the first scan, so that a file written during the scan is not missed. */
  private async startWatching(): Promise<void> {
    this.watching = true;
    if (this.options.polling === true) this.poll();
    else this.subscribe();
    await this.scan();
    if (this.stillWatching()) this.emit({ type: 'ready', folder: this.folder });
  }

  private subscribe(): void {
    try {
      this.osWatch = watch(this.folder, { persistent: true }, (_event, name) => {
        // No name (some platforms, an overflowed queue): what changed is unknown, so look at everything.
        if (name === null) void this.scan();
        else this.notice(name);
      });
    } catch (error) {
      // The OS refused a watch (the inotify limit, ENOSPC; too many open files): the folder is still served.
      this.emit({
        type: 'watch-error',
        folder: this.folder,
        reason: `${reasonOf(error)}; looking for changes every ${(this.pollInterval() / 1000).toString()} s instead`,
      });
      this.poll();
      return;
    }
    this.osWatch.on('error', (error) => {
      // The watch is over (the folder removed, a share gone): the presence check starts a new one or reports it missing.
      this.emit({ type: 'watch-error', folder: this.folder, reason: reasonOf(error) });
      this.stopWatching();
    });
  }

  /** Read after an await: the folder may have gone or the subscription closed meanwhile. */
  private stillWatching(): boolean {
    return this.watching && !this.closed;
  }

  private poll(): void {
    this.pollTimer = setInterval(() => void this.scan(), this.pollInterval());
  }

  private pollInterval(): number {
    return this.options.pollIntervalMs ?? DEFAULT_POLL_MS;
  }

  private stopWatching(): void {
    this.watching = false;
    this.osWatch?.close();
    this.osWatch = undefined;
    clearInterval(this.pollTimer);
    this.pending.clear();
    // After a gap nothing is known: every file is reported again once the folder is watched.
    this.known.clear();
  }

  /** Every name in the folder and every name last known in it is looked at: new, changed and gone files. */
  private async scan(): Promise<void> {
    if (!this.watching) return;
    this.scansAsked += 1;
    // A scan asked for during one runs once more after it: its listing may predate the change.
    if (this.scanning) return;
    this.scanning = true;
    try {
      for (let scansDone = 0; scansDone < this.scansAsked && this.stillWatching();) {
        scansDone = this.scansAsked;
        const names = await readdir(this.folder);
        for (const name of [...names, ...this.known.keys()]) this.notice(name);
        await this.looking;
      }
    } catch (error) {
      if (this.stillWatching())
        this.emit({ type: 'watch-error', folder: this.folder, reason: reasonOf(error) });
    } finally {
      this.scanning = false;
      this.scansAsked = 0;
    }
  }

  private async rescanReportingAll(): Promise<void> {
    if (!this.watching) return;
    for (const name of this.known.keys()) this.known.set(name, REPORT_AGAIN);
    await this.scan();
  }

  private notice(name: string): void {
    if (this.ignored(name)) return;
    this.pending.add(name);
    this.looking ??= this.lookAtPending().finally(() => {
      this.looking = undefined;
    });
  }

  private async lookAtPending(): Promise<void> {
    // A name noticed again while it is being looked at is added back at the end, and looked at again.
    for (const name of this.pending) {
      this.pending.delete(name);
      const path = join(this.folder, name);
      const look = await lookAt(path);
      if (!this.stillWatching()) return;
      this.report(name, path, look);
    }
  }

  private report(name: string, path: string, look: Look): void {
    const known = this.known.get(name);
    if (look.kind === 'file') {
      if (sameAs(known, look.info)) return;
      this.known.set(name, look.info ?? null);
      this.emit({ type: 'file', folder: this.folder, path, ...(look.info ? { seen: look.info } : {}) });
    } else if (known !== undefined) {
      this.known.delete(name);
      this.emit({ type: 'file-removed', folder: this.folder, path });
    }
  }
}

export class NodeFolderWatcher implements FolderWatcher {
  watch(folder: string, options: WatchOptions, onEvent: (event: FolderEvent) => void): FolderSubscription {
    return new WatchedFolder(folder, options, onEvent);
  }
}
