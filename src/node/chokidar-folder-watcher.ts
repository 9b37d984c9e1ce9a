import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import picomatch from 'picomatch';
import type {
  FolderEvent,
  FolderSubscription,
  FolderWatcher,
  WatchOptions,
} from '../engine/folder-watcher.js';

const HOUR = 60 * 60 * 1000;
const DEFAULT_REATTACH_MS = 5000;

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() === true;
}

/**
 * One watched folder: chokidar while the folder exists, a slow existence check
 * while it does not (an unplugged drive, a remounted share), and a periodic
 * full scan for events the OS dropped.
 */
class WatchedFolder implements FolderSubscription {
  private watcher: FSWatcher | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;
  private present = true;
  private readonly ignored: (name: string) => boolean;

  constructor(
    private readonly folder: string,
    private readonly options: WatchOptions,
    private readonly emit: (event: FolderEvent) => void,
  ) {
    const globs = options.ignore ?? [];
    this.ignored = globs.length === 0 ? () => false : picomatch([...globs], { dot: true });
    this.timers.push(
      setInterval(() => void this.checkPresence(), options.reattachIntervalMs ?? DEFAULT_REATTACH_MS),
      setInterval(() => void this.rescan(), options.rescanIntervalMs ?? HOUR),
    );
    void this.checkPresence();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timers.forEach((t) => {
      clearInterval(t);
    });
    await this.stopWatching();
  }

  private async checkPresence(): Promise<void> {
    const exists = await isFolder(this.folder);
    if (this.closed) return;
    if (exists && this.watcher === undefined) {
      const wasMissing = !this.present;
      this.present = true;
      this.startWatching();
      if (wasMissing) this.emit({ type: 'folder-back', folder: this.folder });
    } else if (!exists && this.present) {
      this.present = false;
      await this.stopWatching();
      this.emit({
        type: 'folder-missing',
        folder: this.folder,
        reason: `${this.folder} does not exist or is not a folder`,
      });
    }
  }

  private startWatching(): void {
    const watcher = watch(this.folder, {
      depth: 0,
      ignoreInitial: false,
      usePolling: this.options.polling === true,
      interval: this.options.pollIntervalMs ?? 1000,
      // Only the folder's own files: never the folder itself's parents, nor subfolders' contents.
      ignored: (path, stats) =>
        path !== this.folder && (stats?.isDirectory() === true || this.ignored(basename(path))),
    });
    // chokidar stats every file it reports: the agent uses that rather than stat it again. Not
    // for a pipe or a device, which the agent's own look refuses (reading one could block).
    const file = (path: string, stats?: Stats) => {
      this.emit({
        type: 'file',
        folder: this.folder,
        path,
        ...(stats?.isFile() === true ? { seen: { size: stats.size, mtimeMs: stats.mtimeMs } } : {}),
      });
    };
    watcher
      .on('add', file)
      .on('change', file)
      .on('unlink', (path) => {
        this.emit({ type: 'file-removed', folder: this.folder, path });
      })
      .on('ready', () => {
        this.emit({ type: 'ready', folder: this.folder });
      })
      .on('error', (error) => {
        this.emit({ type: 'watch-error', folder: this.folder, reason: reasonOf(error) });
      });
    this.watcher = watcher;
  }

  private async stopWatching(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = undefined;
    await watcher?.close();
  }

  private async rescan(): Promise<void> {
    if (this.watcher === undefined) return;
    try {
      for (const entry of await readdir(this.folder, { withFileTypes: true })) {
        if (entry.isFile() && !this.ignored(entry.name)) {
          this.emit({ type: 'file', folder: this.folder, path: join(this.folder, entry.name) });
        }
      }
    } catch (error) {
      this.emit({ type: 'watch-error', folder: this.folder, reason: reasonOf(error) });
    }
  }
}

export class ChokidarFolderWatcher implements FolderWatcher {
  watch(folder: string, options: WatchOptions, onEvent: (event: FolderEvent) => void): FolderSubscription {
    return new WatchedFolder(folder, options, onEvent);
  }
}
