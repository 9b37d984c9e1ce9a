import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/engine/delivery-error.js';
import { isUnreachable, Reachability } from '../../src/engine/reachability.js';
import { FakeClock, settle } from '../fakes/fake-clock.js';
import { FakeHttp, networkError, text } from '../fakes/fake-http.js';

const URL = 'https://api.example.com/v1/uploads';

describe('isUnreachable', () => {
  it('takes refused, unresolvable and unroutable as unreachable, a reset or a 5xx as not', () => {
    const net = (code: string) => new DeliveryError('network', code, { code });
    expect(
      ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EPROXY'].map((c) => isUnreachable(net(c))),
    ).toEqual([true, true, true, true, true]);
    expect(isUnreachable(net('ECONNRESET'))).toBe(false);
    expect(isUnreachable(new DeliveryError('server', '503', { status: 503 }))).toBe(false);
  });
});

describe('Reachability', () => {
  it('runs one probe loop for all waiters, backing off until any answer comes', async () => {
    const clock = new FakeClock();
    let up = false;
    const http = new FakeHttp(() => {
      if (!up) throw networkError('ECONNREFUSED');
      return text(405, 'method not allowed');
    });
    const reach = new Reachability();
    const changes: boolean[] = [];
    reach.onChange((offline) => changes.push(offline));
    const ports = { clock, http, random: () => 0.99 };
    const signal = new AbortController().signal;
    let resumed = 0;
    const waiters = [1, 2, 3].map(() =>
      reach.waitUntilReachable(ports, URL, signal).then(() => (resumed += 1)),
    );
    expect(reach.offline).toBe(true);
    for (let i = 0; i < 4; i += 1) {
      clock.fireNext();
      await settle();
    }
    expect(http.exchanges.length).toBe(4);
    expect(resumed).toBe(0);
    up = true;
    clock.fireNext();
    await settle();
    await Promise.all(waiters);
    expect(resumed).toBe(3);
    expect(http.exchanges.length).toBe(5);
    expect(reach.offline).toBe(false);
    expect(changes).toEqual([true, false]);
  });

  it('lets a paused job leave the wait without stopping the probe of the others', async () => {
    const clock = new FakeClock();
    const http = new FakeHttp(() => {
      throw networkError('ENOTFOUND');
    });
    const reach = new Reachability();
    const ports = { clock, http, random: () => 0.5 };
    const pause = new AbortController();
    const paused = reach.waitUntilReachable(ports, URL, pause.signal);
    const other = reach.waitUntilReachable(ports, URL, new AbortController().signal);
    pause.abort(new Error('paused'));
    await expect(paused).rejects.toThrow('paused');
    clock.fireNext();
    await settle();
    expect(http.exchanges.length).toBe(1);
    expect(reach.offline).toBe(true);
    void other;
  });

  it('with a limit, gives up once the target has been silent that long, and stops probing', async () => {
    const clock = new FakeClock();
    const http = new FakeHttp(() => {
      throw networkError('ECONNREFUSED');
    });
    const reach = new Reachability({ giveUpAfterMs: 120_000 });
    const ports = { clock, http, random: () => 0.5 };
    const signal = new AbortController().signal;
    const started = clock.now();
    let outcome: boolean | undefined;
    void reach.waitUntilReachable(ports, URL, signal).then((back) => (outcome = back));
    while (outcome === undefined && clock.fireNext()) await settle();
    expect(outcome).toBe(false);
    expect(clock.now() - started).toBe(120_000);
    await settle();
    expect(reach.offline).toBe(false);
    expect(clock.pendingTimers).toBe(0);
    const probes = http.exchanges.length;
    expect(probes).toBeGreaterThan(2);

    // The same outage: the next job does not wait the whole limit again.
    clock.advance(1_000);
    const next = reach.waitUntilReachable(ports, URL, signal);
    clock.fireNext();
    expect(await next).toBe(false);
  });

  it('with a limit, still says when the target answers in time', async () => {
    const clock = new FakeClock();
    let up = false;
    const http = new FakeHttp(() => {
      if (!up) throw networkError('ECONNREFUSED');
      return text(405, '');
    });
    const reach = new Reachability({ giveUpAfterMs: 600_000 });
    const back = reach.waitUntilReachable(
      { clock, http, random: () => 0.5 },
      URL,
      new AbortController().signal,
    );
    clock.fireNext();
    await settle();
    up = true;
    clock.fireNext();
    await settle();
    expect(await back).toBe(true);
    await settle();
    expect(clock.pendingTimers).toBe(0);
  });
});
