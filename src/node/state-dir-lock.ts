import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname, uptime } from 'node:os';
import { setTimeout } from 'node:timers/promises';
import { join, resolve } from 'node:path';

export const LOCK_FILE = 'agent.lock';

/** What the lock file holds. The nonce tells this lock apart from an older one by the same pid. */
export interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  readonly startedAt: string;
  readonly nonce: string;
}

export class StateDirLockedError extends Error {
  override readonly name = 'StateDirLockedError';
  constructor(
    readonly stateDir: string,
    readonly owner: LockOwner,
  ) {
    const where = owner.hostname === hostname() ? '' : ` on ${owner.hostname}`;
    super(
      `another Ferry agent (pid ${owner.pid}${where}, started ${owner.startedAt}) is using ${stateDir}; ` +
        'stop it first or use another --state-dir' +
        (where === '' ? '' : ` (if it is gone, delete ${join(stateDir, LOCK_FILE)})`),
    );
  }
}

export interface StateDirLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** Deletes the lock file if it is still this lock. Safe to call more than once. */
  release(): Promise<void>;
}

/**
 * Nonces of the locks this process holds or is acquiring: its own pid is alive, yet a lock with
 * its pid and another nonce was left by an earlier process that had the same pid.
 */
const ownNonces = new Set<string>();

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<Record<keyof LockOwner, unknown>> | null;
    if (
      typeof value?.pid === 'number' &&
      Number.isInteger(value.pid) &&
      value.pid > 0 &&
      typeof value.hostname === 'string' &&
      typeof value.startedAt === 'string' &&
      typeof value.nonce === 'string'
    ) {
      return { pid: value.pid, hostname: value.hostname, startedAt: value.startedAt, nonce: value.nonce };
    }
  } catch {
    // Locks are linked into place whole, so an unparsable one is damaged or foreign: stale.
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the owner may still be running; a lock that cannot be checked counts as live. */
function mayBeLive(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return true;
  // Pids are reused, by this very process too: after a reboot, a service often gets the same pid.
  if (owner.pid === process.pid) return ownNonces.has(owner.nonce);
  const bootedAt = Date.now() - uptime() * 1000;
  const startedAt = Date.parse(owner.startedAt);
  // A minute of slack for clock adjustments; a lock from before the boot is stale whatever its pid.
  if (Number.isFinite(startedAt) && startedAt < bootedAt - 60_000) return false;
  return isAlive(owner.pid);
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const ignoreMissing = (error: unknown) => {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
};

/** Creates `path` as a hard link to the complete `draft`: false when the name is taken. */
async function linkExclusive(draft: string, path: string): Promise<boolean> {
  try {
    await link(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Removes a recovery mutex left by an agent that died while recovering. Moving it aside first
 * means two agents cannot both remove it; one that was replaced meanwhile is put back.
 */
async function removeDeadMutex(path: string, seen: string): Promise<void> {
  const aside = `${path}.${randomUUID()}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((await readIfExists(aside)) !== seen) await linkExclusive(aside, path);
  await unlink(aside);
}

/**
 * Removes the stale lock whose content is `stale`, or answers false when another agent is
 * already doing so. A lock that exists changes only when it is removed, so with removal
 * serialised by the recovery mutex, a lock read as stale under the mutex is still that lock when
 * it is unlinked: two agents can never both recover it (a bare rename-and-check cannot promise that).
 */
async function removeStale(path: string, stale: string, draft: string): Promise<boolean> {
  const mutex = `${path}.recovering`;
  if (!(await linkExclusive(draft, mutex))) {
    const seen = await readIfExists(mutex);
    const holder = seen === undefined ? undefined : parseOwner(seen);
    if (seen !== undefined && (holder === undefined || !mayBeLive(holder)))
      await removeDeadMutex(mutex, seen);
    return false;
  }
  try {
    if ((await readIfExists(path)) === stale) await unlink(path).catch(ignoreMissing);
  } finally {
    await unlink(mutex);
  }
  return true;
}

/** How long to keep trying while other agents are recovering the same lock. */
const PATIENCE_MS = 5_000;
const POLL_MS = 10;

/**
 * Makes this process the only Ferry agent using `stateDir`, or throws StateDirLockedError naming
 * the agent that is. A lock left by an agent that died is taken over. The lock is released when
 * the process exits normally; the host must turn signals into an exit for that to happen.
 */
export async function acquireStateDirLock(stateDir: string): Promise<StateDirLock> {
  const path = resolve(stateDir, LOCK_FILE);
  const owner: LockOwner = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    nonce: randomUUID(),
  };
  const content = `${JSON.stringify(owner)}\n`;
  // Written whole before it is linked into place, so no one ever reads a half-written lock.
  const draft = `${path}.${owner.nonce}`;
  await writeFile(draft, content, { mode: 0o600 });
  ownNonces.add(owner.nonce);
  let acquired = false;
  try {
    for (const deadline = Date.now() + PATIENCE_MS; Date.now() < deadline;) {
      if (await linkExclusive(draft, path)) {
        acquired = true;
        return holdLock(path, owner, content);
      }
      const existing = await readIfExists(path);
      if (existing === undefined) continue;
      const current = parseOwner(existing);
      if (current !== undefined && mayBeLive(current)) throw new StateDirLockedError(stateDir, current);
      if (!(await removeStale(path, existing, draft))) await setTimeout(POLL_MS);
    }
    throw new Error(`could not lock ${stateDir}: other agents kept recovering it; try again`);
  } finally {
    if (!acquired) ownNonces.delete(owner.nonce);
    await unlink(draft).catch(() => undefined);
  }
}

function holdLock(path: string, owner: LockOwner, content: string): StateDirLock {
  const releaseOnExit = () => {
    // Only synchronous work runs at exit.
    try {
      if (readFileSync(path, 'utf8') === content) unlinkSync(path);
    } catch {
      // Already gone.
    }
  };
  process.once('exit', releaseOnExit);
  let released = false;
  return {
    path,
    owner,
    async release() {
      if (released) return;
      released = true;
      process.removeListener('exit', releaseOnExit);
      ownNonces.delete(owner.nonce);
      if ((await readIfExists(path)) === content) await unlink(path);
    },
  };
}
