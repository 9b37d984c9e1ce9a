import { describe, expect, it } from 'vitest';
import { CHANGE_CHECK_MS, ChangeGuard } from '../../src/engine/change-guard.js';
import { FileChanged } from '../../src/engine/pacer.js';
import { FakeClock, settle } from '../fakes/fake-clock.js';
import { FakeFiles } from '../fakes/fake-files.js';

const PATH = '/data/out/orders-2024-06-12-v1.csv';

function setup() {
  const clock = new FakeClock();
  const files = new FakeFiles();
  files.write(PATH, 'id\n1\n', 1_000);
  const round = new AbortController();
  const guard = new ChangeGuard(files, clock, PATH, { size: 5, mtimeMs: 1_000 }, round);
  return { clock, files, round, guard };
}

describe('ChangeGuard', () => {
  it('cuts the round off with FileChanged when the file changes while bytes flow', async () => {
    const { files, round, guard } = setup();
    guard.sent(2, 5);
    files.write(PATH, 'id\n1\n2\n', 2_000);
    await guard.look();
    expect(round.signal.reason).toBeInstanceOf(FileChanged);
  });

  it('lets a round whose bytes are all sent wait for its answer, and stops the next attempt', async () => {
    const { files, round, guard } = setup();
    guard.sent(5, 5);
    files.write(PATH, 'id\n9\n', 2_000);
    await guard.look();
    expect(round.signal.aborted).toBe(false);
    guard.nextAttempt();
    expect(round.signal.reason).toBeInstanceOf(FileChanged);
  });

  it('takes neither a file that is gone nor one that is the same version for a change', async () => {
    const { files, round, guard } = setup();
    await guard.look();
    files.remove(PATH);
    await guard.look();
    expect(round.signal.aborted).toBe(false);
  });

  it('looks at the file as bytes go out, at most once a second', async () => {
    const { clock, files, round, guard } = setup();
    guard.sent(1, 5);
    await settle();
    files.write(PATH, 'id\n2\n', 2_000);
    guard.sent(2, 5);
    await settle();
    expect(round.signal.aborted).toBe(false);
    clock.advance(CHANGE_CHECK_MS);
    guard.sent(3, 5);
    await settle();
    expect(round.signal.reason).toBeInstanceOf(FileChanged);
  });
});
