import type { FileInfo } from './ports.js';

/**
 * The Watcher port: what the agent hears about a watched folder. Only files
 * directly inside the folder count; a `sent/` subfolder and any other
 * subfolder are not looked into.
 */
export type FolderEvent =
  /** A file appeared, changed, or was found by a scan. The agent decides whether it is new. */
  | {
      readonly type: 'file';
      readonly folder: string;
      readonly path: string;
      /** The size and time the watcher read as it saw the file, if it did: no need to stat it again. */
      readonly seen?: FileInfo;
    }
  | { readonly type: 'file-removed'; readonly folder: string; readonly path: string }
  /** The initial scan is done: every file present at start has been reported. */
  | { readonly type: 'ready'; readonly folder: string }
  | { readonly type: 'folder-missing'; readonly folder: string; readonly reason: string }
  /** A missing folder is back and watched again; its files follow as `file` events. */
  | { readonly type: 'folder-back'; readonly folder: string }
  | { readonly type: 'watch-error'; readonly folder: string; readonly reason: string };

export interface WatchOptions {
  /** Poll instead of relying on OS events: for network shares, where events are not delivered. */
  readonly polling?: boolean;
  readonly pollIntervalMs?: number;
  /** Globs matched against file names (not paths), on top of the convention's ignored files. */
  readonly ignore?: readonly string[];
  /** A full rescan this often catches events the OS dropped. */
  readonly rescanIntervalMs?: number;
  /** How often a folder that disappeared is looked for again. */
  readonly reattachIntervalMs?: number;
}

export interface FolderSubscription {
  close(): Promise<void>;
}

export interface FolderWatcher {
  watch(folder: string, options: WatchOptions, onEvent: (event: FolderEvent) => void): FolderSubscription;
}
