import type { Clock } from '../../src/engine/ports.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

/** A clock that moves only when told: retries and stalls are tested without waiting. */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];
  /** Every sleep requested, in order, in ms: what the engine asked to wait. */
  readonly sleeps: number[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(signal.reason as Error);
        return;
      }
      const timer: Timer = {
        at: this.#now + Math.max(0, ms),
        seq: (this.#seq += 1),
        fire: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#timers = this.#timers.filter((t) => t !== timer);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#timers.push(timer);
    });
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves to the earliest pending timer and fires it; false when none is pending. */
  fireNext(): boolean {
    const next = [...this.#timers].sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
    if (next === undefined) return false;
    this.#timers = this.#timers.filter((t) => t !== next);
    this.#now = Math.max(this.#now, next.at);
    next.fire();
    return true;
  }

  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      const next = [...this.#timers].sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (next === undefined || next.at > until) break;
      this.fireNext();
    }
    this.#now = until;
  }
}

/** Lets every pending promise continuation run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Drives `work` to completion on the fake clock: whenever nothing else can happen, time
 * jumps to the next timer. A promise that waits on nothing is a deadlock and fails the test.
 */
export async function runOn<T>(clock: FakeClock, work: Promise<T>, maxSteps = 10_000): Promise<T> {
  const state = { done: false };
  const tracked = work.finally(() => {
    state.done = true;
  });
  tracked.catch(() => undefined);
  for (let step = 0; step < maxSteps; step += 1) {
    await settle();
    if (state.done) return tracked;
    if (!clock.fireNext()) throw new Error('deadlock: the work waits on nothing the fake clock can fire');
  }
  throw new Error(`still running after ${maxSteps} timer steps`);
}
