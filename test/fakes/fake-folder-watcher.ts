import type {
  FolderEvent,
  FolderSubscription,
  FolderWatcher,
  WatchOptions,
} from '../../src/engine/folder-watcher.js';

type Listener = (event: FolderEvent) => void;

/**
 * A folder watcher the test drives. With `scan`, every new watch reports the files the scan
 * lists and then `ready`, a moment later, as a real watcher's first scan does; without it, the
 * test emits `ready` itself. A closed watch hears nothing more.
 */
export class FakeFolderWatcher implements FolderWatcher {
  readonly #listeners = new Map<string, Set<Listener>>();
  /** Every watch started, in order: what the agent asked to watch, and how. */
  readonly watches: { readonly folder: string; readonly options: WatchOptions }[] = [];

  constructor(private readonly scan?: (folder: string) => readonly string[]) {}

  watch(folder: string, options: WatchOptions, onEvent: Listener): FolderSubscription {
    this.watches.push({ folder, options });
    const listeners = this.#listeners.get(folder) ?? new Set<Listener>();
    this.#listeners.set(folder, listeners);
    listeners.add(onEvent);
    const { scan } = this;
    if (scan !== undefined) {
      queueMicrotask(() => {
        if (!listeners.has(onEvent)) return;
        for (const path of scan(folder)) onEvent({ type: 'file', folder, path });
        onEvent({ type: 'ready', folder });
      });
    }
    return {
      close: () => {
        listeners.delete(onEvent);
        return Promise.resolve();
      },
    };
  }

  /** Whether any watch of `folder` is open. */
  isWatching(folder: string): boolean {
    return (this.#listeners.get(folder)?.size ?? 0) > 0;
  }

  /** Tells every open watch of the event's folder. */
  emit(event: FolderEvent): void {
    for (const listener of [...(this.#listeners.get(event.folder) ?? [])]) listener(event);
  }
}
