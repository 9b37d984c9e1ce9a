import { describe, expect, it } from 'vitest';
import type { FileInfo } from '../../src/engine/ports.js';
import { waitUntilSettled, type WriteProbe } from '../../src/engine/write-settler.js';
import { FakeClock, runOn } from '../fakes/fake-clock.js';

const OPTIONS = { windowMs: 2000, pollMs: 250 };

/** A file whose size and mtime follow a script of writes at given clock times. */
class ScriptedFile implements WriteProbe {
  heldOpenUntil = 0;
  constructor(
    private readonly clock: FakeClock,
    private writes: { at: number; size: number }[],
  ) {}

  stat(): Promise<FileInfo> {
    const done = this.writes.filter((w) => w.at <= this.clock.now());
    const last = done.at(-1);
    if (last === undefined) return Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' }));
    return Promise.resolve({ size: last.size, mtimeMs: last.at });
  }

  isHeldOpen(): Promise<boolean> {
    return Promise.resolve(this.clock.now() < this.heldOpenUntil);
  }

  vanish(): void {
    this.writes = [];
  }
}

describe('waitUntilSettled', () => {
  it('takes a file written slowly only once the window has passed after its last write', async () => {
    const clock = new FakeClock(100_000);
    const start = clock.now();
    const file = new ScriptedFile(
      clock,
      [0, 700, 1500, 3000].map((t, i) => ({ at: start + t, size: (i + 1) * 10 })),
    );
    const settled = await runOn(
      clock,
      waitUntilSettled('f', file, clock, OPTIONS, new AbortController().signal),
    );
    expect(settled).toEqual({ size: 40, mtimeMs: start + 3000 });
    // Seen at the first look after the last write (3000), then a full window of no change.
    expect(clock.now() - start).toBe(3000 + OPTIONS.windowMs);
  });

  it('takes a file untouched for longer than the window after one confirming look', async () => {
    const clock = new FakeClock(100_000);
    const file = new ScriptedFile(clock, [{ at: clock.now() - 60_000, size: 5 }]);
    const start = clock.now();
    await runOn(clock, waitUntilSettled('f', file, clock, OPTIONS, new AbortController().signal));
    expect(clock.now() - start).toBe(OPTIONS.pollMs);
  });

  it('restarts the full window when an old-looking file still grows (a copy that keeps its mtime)', async () => {
    const clock = new FakeClock(100_000);
    const start = clock.now();
    const file = new ScriptedFile(clock, [
      { at: start - 60_000, size: 5 },
      { at: start + 200, size: 9 },
    ]);
    await runOn(clock, waitUntilSettled('f', file, clock, OPTIONS, new AbortController().signal));
    expect(clock.now() - start).toBe(OPTIONS.pollMs + OPTIONS.windowMs);
  });

  it('waits while another program holds the file open', async () => {
    const clock = new FakeClock(100_000);
    const file = new ScriptedFile(clock, [{ at: clock.now() - 60_000, size: 5 }]);
    file.heldOpenUntil = clock.now() + 5_000;
    const start = clock.now();
    await runOn(clock, waitUntilSettled('f', file, clock, OPTIONS, new AbortController().signal));
    expect(clock.now() - start).toBe(5_000);
  });

  it('fails with the errno when the file disappears while settling', async () => {
    const clock = new FakeClock(100_000);
    const file = new ScriptedFile(clock, [{ at: clock.now(), size: 5 }]);
    const waiting = waitUntilSettled('f', file, clock, OPTIONS, new AbortController().signal);
    clock.advance(OPTIONS.pollMs - 1);
    file.vanish();
    await expect(runOn(clock, waiting)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('stops when aborted', async () => {
    const clock = new FakeClock(100_000);
    const file = new ScriptedFile(clock, [{ at: clock.now(), size: 5 }]);
    const abort = new AbortController();
    const waiting = waitUntilSettled('f', file, clock, OPTIONS, abort.signal);
    await Promise.resolve();
    abort.abort(new Error('paused'));
    await expect(waiting).rejects.toThrow('paused');
  });
});
