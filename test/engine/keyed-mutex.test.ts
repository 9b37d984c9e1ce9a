import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../src/engine/agent/keyed-mutex.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedMutex', () => {
  it('lets one holder per key in, in order, and other keys through', async () => {
    const mutex = new KeyedMutex();
    const signal = new AbortController().signal;
    const order: string[] = [];
    const first = await mutex.acquire('a', signal);
    const second = mutex.acquire('a', signal).then((release) => {
      order.push('second');
      return release;
    });
    const other = await mutex.acquire('b', signal);
    order.push('other');
    await tick();
    expect(order).toEqual(['other']);
    first();
    (await second)();
    other();
    expect(order).toEqual(['other', 'second']);
  });

  it('gives up a wait on abort without blocking those behind', async () => {
    const mutex = new KeyedMutex();
    const first = await mutex.acquire('a', new AbortController().signal);
    const abort = new AbortController();
    const waiting = mutex.acquire('a', abort.signal);
    const third = mutex.acquire('a', new AbortController().signal);
    abort.abort(new Error('paused'));
    await expect(waiting).rejects.toThrow('paused');
    first();
    const release = await third;
    expect(typeof release).toBe('function');
  });
});
