import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FolderEvent, FolderSubscription, WatchOptions } from '../../src/engine/folder-watcher.js';
import { NodeFolderWatcher } from '../../src/node/node-folder-watcher.js';

const subscriptions: FolderSubscription[] = [];

afterEach(async () => {
  await Promise.all(subscriptions.splice(0).map((s) => s.close()));
});

/** Watches a real folder and lets a test wait for the events it expects. */
function watchFolder(folder: string, options: WatchOptions = {}) {
  const events: FolderEvent[] = [];
  const waiters: { test: (e: FolderEvent) => boolean; resolve: () => void }[] = [];
  const subscription = new NodeFolderWatcher().watch(
    folder,
    { reattachIntervalMs: 100, ...options },
    (event) => {
      events.push(event);
      for (const waiter of waiters.filter((w) => w.test(event))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    },
  );
  subscriptions.push(subscription);
  const next = (test: (e: FolderEvent) => boolean) =>
    events.some(test) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ test, resolve }));
  return { events, next };
}

const fileEvent = (path: string) => (e: FolderEvent) => e.type === 'file' && e.path === path;

/** The distinct paths reported as files, in the order first reported. */
const reportedPaths = (events: FolderEvent[]) => [
  ...new Set(events.flatMap((e) => (e.type === 'file' ? [e.path] : []))),
];

/**
 * The inodes this process holds an inotify watch on (Linux: an `inotify wd:… ino:<hex>` line per
 * watch in fdinfo). By inode, so that a watch another test left behind in a shared worker does not count.
 */
async function watchedInodes(): Promise<Set<number>> {
  const inodes = new Set<number>();
  for (const fd of await readdir('/proc/self/fdinfo')) {
    const info = await readFile(`/proc/self/fdinfo/${fd}`, 'utf8').catch(() => '');
    for (const [, ino] of info.matchAll(/^inotify wd:\d+ ino:([0-9a-f]+)/gm))
      inodes.add(parseInt(ino ?? '', 16));
  }
  return inodes;
}

async function tempFolder() {
  return mkdtemp(join(tmpdir(), 'ferry-watch-'));
}

describe('NodeFolderWatcher', () => {
  it('reports files present at start, then ready, then new files', async () => {
    const folder = await tempFolder();
    await writeFile(join(folder, 'before-2024-01-01-1.csv'), 'a');
    const { events, next } = watchFolder(folder);
    await next((e) => e.type === 'ready');
    expect(events.flatMap((e) => (e.type === 'file' ? [e.path] : []))).toEqual([
      join(folder, 'before-2024-01-01-1.csv'),
    ]);
    await writeFile(join(folder, 'after-2024-01-01-1.csv'), 'b');
    await next(fileEvent(join(folder, 'after-2024-01-01-1.csv')));
  });

  it('tells the size and time it read of a file, and of a pipe nothing', async () => {
    const folder = await tempFolder();
    const file = join(folder, 'sized-2024-01-01-1.csv');
    await writeFile(file, 'id\n1\n');
    const pipe = join(folder, 'pipe-2024-01-01-1.csv');
    execFileSync('mkfifo', [pipe]);
    const { events, next } = watchFolder(folder);
    await next((e) => e.type === 'ready');
    const reported = (path: string) => events.find((e) => e.type === 'file' && e.path === path);
    const { size, mtimeMs } = await stat(file);
    expect(reported(file)).toMatchObject({ seen: { size, mtimeMs } });
    // The agent's own look refuses a pipe (reading one could block): the watcher's stat is not enough.
    expect(reported(pipe)).toBeDefined();
    expect(reported(pipe)).not.toHaveProperty('seen');
  });

  it('does not look into subfolders and skips ignore globs', async () => {
    const folder = await tempFolder();
    await mkdir(join(folder, 'sent'));
    const { events, next } = watchFolder(folder, { ignore: ['*.bak', 'draft-*'] });
    await next((e) => e.type === 'ready');
    await writeFile(join(folder, 'sent', 'old-2024-01-01-1.csv'), 'x');
    await writeFile(join(folder, 'x.bak'), 'x');
    await writeFile(join(folder, 'draft-2024-01-01-1.csv'), 'x');
    await writeFile(join(folder, 'real-2024-01-01-1.csv'), 'x');
    await next(fileEvent(join(folder, 'real-2024-01-01-1.csv')));
    expect(reportedPaths(events)).toEqual([join(folder, 'real-2024-01-01-1.csv')]);
  });

  it('reports a file again when it is written, with the size it grew to', async () => {
    const folder = await tempFolder();
    const file = join(folder, 'growing-2024-01-01-1.csv');
    await writeFile(file, 'id\n');
    const { next } = watchFolder(folder);
    await next((e) => e.type === 'ready');
    await appendFile(file, '1\n2\n');
    await next((e) => e.type === 'file' && e.path === file && e.seen?.size === 7);
  });

  it('holds one OS watch for a folder, none for its files', async () => {
    const folder = await tempFolder();
    const files = Array.from({ length: 500 }, (_, i) => join(folder, `f${i.toString()}-2024-01-01-1.csv`));
    await Promise.all(files.map((file) => writeFile(file, 'x')));
    const { events, next } = watchFolder(folder);
    await next((e) => e.type === 'ready');
    expect(reportedPaths(events)).toHaveLength(500);
    const watched = await watchedInodes();
    expect(watched.has((await stat(folder)).ino)).toBe(true);
    const fileInodes = await Promise.all(files.map(async (file) => (await stat(file)).ino));
    expect(fileInodes.filter((ino) => watched.has(ino))).toEqual([]);
  });

  it('reports a rename as the old name removed and the new one added', async () => {
    const folder = await tempFolder();
    const { next } = watchFolder(folder);
    await next((e) => e.type === 'ready');
    await writeFile(join(folder, 'a b.csv'), 'x');
    await next(fileEvent(join(folder, 'a b.csv')));
    await rename(join(folder, 'a b.csv'), join(folder, 'a-2024-01-01-1.csv'));
    await next((e) => e.type === 'file-removed' && e.path === join(folder, 'a b.csv'));
    await next(fileEvent(join(folder, 'a-2024-01-01-1.csv')));
  });

  it('reports a folder that disappears and re-attaches when it returns', async () => {
    const parent = await tempFolder();
    const folder = join(parent, 'outbox');
    await mkdir(folder);
    const { next } = watchFolder(folder);
    await next((e) => e.type === 'ready');
    await rm(folder, { recursive: true });
    await next((e) => e.type === 'folder-missing');
    await mkdir(folder);
    await next((e) => e.type === 'folder-back');
    await writeFile(join(folder, 'back-2024-01-01-1.csv'), 'x');
    await next(fileEvent(join(folder, 'back-2024-01-01-1.csv')));
  });

  it('watches a folder that does not exist yet once it appears', async () => {
    const folder = join(await tempFolder(), 'later');
    const { next } = watchFolder(folder);
    await next((e) => e.type === 'folder-missing');
    await mkdir(folder);
    await writeFile(join(folder, 'late-2024-01-01-1.csv'), 'x');
    await next(fileEvent(join(folder, 'late-2024-01-01-1.csv')));
  });

  it('finds new files by polling, for network shares', async () => {
    const folder = await tempFolder();
    const { next } = watchFolder(folder, { polling: true, pollIntervalMs: 50 });
    await next((e) => e.type === 'ready');
    await writeFile(join(folder, 'polled-2024-01-01-1.csv'), 'x');
    await next(fileEvent(join(folder, 'polled-2024-01-01-1.csv')));
  });

  it('reports by polling a changed file once and a removed one, not the unchanged ones', async () => {
    const folder = await tempFolder();
    const kept = join(folder, 'kept-2024-01-01-1.csv');
    const changed = join(folder, 'changed-2024-01-01-1.csv');
    const removed = join(folder, 'removed-2024-01-01-1.csv');
    await Promise.all([writeFile(kept, 'x'), writeFile(changed, 'x'), writeFile(removed, 'x')]);
    const { events, next } = watchFolder(folder, { polling: true, pollIntervalMs: 20 });
    await next((e) => e.type === 'ready');
    await appendFile(changed, 'yz');
    await rm(removed);
    await next((e) => e.type === 'file' && e.path === changed && e.seen?.size === 3);
    await next((e) => e.type === 'file-removed' && e.path === removed);
    // Two more files found means two more full scans since the change: time enough to report `kept` again.
    for (const tick of ['tick1-2024-01-01-1.csv', 'tick2-2024-01-01-1.csv']) {
      await writeFile(join(folder, tick), 'x');
      await next(fileEvent(join(folder, tick)));
    }
    expect(events.filter(fileEvent(kept))).toHaveLength(1);
    expect(events.filter(fileEvent(changed))).toHaveLength(2);
  });

  it('rescans periodically, reporting files again', async () => {
    const folder = await tempFolder();
    await writeFile(join(folder, 'kept-2024-01-01-1.csv'), 'x');
    const kept = fileEvent(join(folder, 'kept-2024-01-01-1.csv'));
    const { events, next } = watchFolder(folder, { rescanIntervalMs: 100 });
    await next((e) => e.type === 'ready');
    // The file does not change: only a rescan reports it a second time (waited for, not slept on).
    await next((e) => kept(e) && events.filter(kept).length > 1);
  });
});
