import { readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  LOCK_FILE,
  StateDirLockedError,
  acquireStateDirLock,
  type LockOwner,
  type StateDirLock,
} from '../../src/node/state-dir-lock.js';
import { requireBuilt, spawnNode, type Child } from '../support/child-process.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('lock');
const HOLDER = 'test/node/children/lock-holder.js';

const children: Child[] = [];
const locks: StateDirLock[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.process.kill('SIGKILL');
    await child.exited;
  }
  await Promise.all(locks.splice(0).map((lock) => lock.release()));
});

async function acquire(dir: string): Promise<StateDirLock> {
  const lock = await acquireStateDirLock(dir);
  locks.push(lock);
  return lock;
}

function holder(dir: string, ...args: string[]): Child {
  const child = spawnNode(HOLDER, [dir, ...args]);
  children.push(child);
  return child;
}

const readOwner = async (dir: string) =>
  JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')) as LockOwner;

/** The pid of a process that has just exited: dead, and very unlikely to be reused this soon. */
async function deadPid(): Promise<number> {
  const child = spawnNode('-e', ['']);
  await child.exited;
  const pid = child.process.pid;
  if (pid === undefined) throw new Error('no pid');
  return pid;
}

async function writeLock(dir: string, owner: Partial<LockOwner>): Promise<void> {
  const lock: LockOwner = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    nonce: 'someone-else',
    ...owner,
  };
  await writeFile(join(dir, LOCK_FILE), JSON.stringify(lock));
}

describe('acquireStateDirLock', () => {
  beforeAll(() => {
    requireBuilt('dist/node/state-dir-lock.js');
  });

  it('writes who holds the lock, and release removes it', async () => {
    const dir = await tempDir();
    const lock = await acquire(dir);
    const owner = await readOwner(dir);
    expect(owner).toEqual(lock.owner);
    expect(owner).toMatchObject({ pid: process.pid, hostname: hostname() });
    expect(Date.parse(owner.startedAt)).toBeLessThanOrEqual(Date.now());
    await lock.release();
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a second lock on the same dir in the same process', async () => {
    const dir = await tempDir();
    const first = await acquire(dir);
    const refused = acquireStateDirLock(dir);
    await expect(refused).rejects.toBeInstanceOf(StateDirLockedError);
    await expect(refused).rejects.toThrow(
      `another Ferry agent (pid ${process.pid}, started ${first.owner.startedAt}) is using ${dir}; ` +
        'stop it first or use another --state-dir',
    );
    expect(await readdir(dir)).toEqual([LOCK_FILE]);
  });

  it('is blocked by a live agent in another process, and recovers the lock once that agent is killed', async () => {
    const dir = await tempDir();
    const child = holder(dir);
    await child.waitForLine((line) => line === 'acquired');
    const pid = child.process.pid;

    const refused = acquireStateDirLock(dir);
    await expect(refused).rejects.toThrow(`another Ferry agent (pid ${pid}, started `);
    await expect(refused).rejects.toMatchObject({ stateDir: dir, owner: { pid } });

    child.process.kill('SIGKILL');
    await child.exited;
    expect((await readOwner(dir)).pid).toBe(pid);

    const lock = await acquire(dir);
    expect(await readOwner(dir)).toEqual(lock.owner);
    expect(lock.owner.pid).toBe(process.pid);
    expect(await readdir(dir)).toEqual([LOCK_FILE]);
  });

  it('blocks another process while held here', async () => {
    const dir = await tempDir();
    await acquire(dir);
    const child = holder(dir);
    const line = await child.waitForLine((l) => l.startsWith('locked: '));
    expect(line).toContain(`(pid ${process.pid}, started `);
    expect((await child.exited).code).toBe(3);
  });

  it('is released when the process holding it exits', async () => {
    const dir = await tempDir();
    const child = holder(dir, '--exit-after', '10');
    await child.waitForLine((line) => line === 'acquired');
    expect((await child.exited).code).toBe(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over a lock whose agent is dead', async () => {
    const dir = await tempDir();
    await writeLock(dir, { pid: await deadPid() });
    const lock = await acquire(dir);
    expect(await readOwner(dir)).toEqual(lock.owner);
  });

  it.each([
    ['empty', ''],
    ['unparsable', '{"pid": 12'],
    ['not a lock', '{"pid": "12"}'],
  ])('takes over an %s lock file', async (_name, content) => {
    const dir = await tempDir();
    await writeFile(join(dir, LOCK_FILE), content);
    const lock = await acquire(dir);
    expect(await readOwner(dir)).toEqual(lock.owner);
  });

  it('takes over a lock with its own pid that it does not hold: an earlier process had the pid', async () => {
    const dir = await tempDir();
    await writeLock(dir, { pid: process.pid, nonce: 'from-before' });
    const lock = await acquire(dir);
    expect(lock.owner.nonce).not.toBe('from-before');
    expect(await readOwner(dir)).toEqual(lock.owner);
  });

  it('takes over a lock taken before the machine booted, even when its pid is alive again', async () => {
    const dir = await tempDir();
    const child = holder(dir);
    await child.waitForLine((line) => line === 'acquired');
    await writeLock(dir, { pid: child.process.pid ?? 0, startedAt: '2001-01-01T00:00:00.000Z' });
    const lock = await acquire(dir);
    expect(await readOwner(dir)).toEqual(lock.owner);
  });

  it('clears a recovery left half done by an agent that died, and takes the lock', async () => {
    const dir = await tempDir();
    const dead = await deadPid();
    await writeLock(dir, { pid: dead });
    await writeFile(
      join(dir, `${LOCK_FILE}.recovering`),
      JSON.stringify({ ...(await readOwner(dir)), nonce: 'x' }),
    );
    const lock = await acquire(dir);
    expect(await readOwner(dir)).toEqual(lock.owner);
    expect(await readdir(dir)).toEqual([LOCK_FILE]);
  });

  it('treats a lock from another host as live and says how to clear it', async () => {
    const dir = await tempDir();
    await writeLock(dir, { pid: await deadPid(), hostname: 'elsewhere.example' });
    await expect(acquireStateDirLock(dir)).rejects.toThrow(
      /on elsewhere\.example, started .*\(if it is gone, delete .*agent\.lock\)$/,
    );
  });

  it('does not delete a lock that another agent has taken over', async () => {
    const dir = await tempDir();
    const lock = await acquireStateDirLock(dir);
    await writeLock(dir, { pid: 4_321, nonce: 'the-new-owner' });
    await lock.release();
    expect((await readOwner(dir)).nonce).toBe('the-new-owner');
  });

  it('lets exactly one of several agents recovering the same stale lock at once have it', async () => {
    const dir = await tempDir();
    await writeLock(dir, { pid: await deadPid() });
    // Started together once every process is up, so that their recoveries overlap.
    const startAt = String(Date.now() + 1_500);
    const racers = Array.from({ length: 8 }, () => holder(dir, '--start-at', startAt));
    const outcomes = await Promise.all(racers.map((child) => child.waitForLine(() => true)));
    expect(outcomes.filter((line) => line === 'acquired')).toHaveLength(1);
    expect(outcomes.filter((line) => line.startsWith('locked: '))).toHaveLength(7);
    const winner = racers[outcomes.indexOf('acquired')];
    expect((await readOwner(dir)).pid).toBe(winner?.process.pid);
    expect(await readdir(dir)).toEqual([LOCK_FILE]);
  });
});
