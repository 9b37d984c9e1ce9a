import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/engine/delivery-error.js';
import { InterruptibleHttp } from '../../src/engine/interruptible-http.js';
import { isUnreachable } from '../../src/engine/reachability.js';
import { wokeError } from '../../src/engine/sleep-watch.js';
import { nodeHttp } from '../../src/node/node-http.js';

/** The real got adapter against a loopback server that never answers: a socket a sleep left hanging. */
let server: Server | undefined;

afterEach(async () => {
  const closing = server;
  server = undefined;
  if (closing === undefined) return;
  closing.closeAllConnections();
  await new Promise((resolve) => closing.close(resolve));
});

async function silentServer(): Promise<string> {
  server = createServer(() => undefined);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}/hang`;
}

async function inFlight(url: string, http: InterruptibleHttp, signal: AbortSignal) {
  const request = http.request({ method: 'GET', url, headers: {}, signal });
  // Let the request reach the server before it is interrupted.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return request;
}

describe('InterruptibleHttp', () => {
  it('fails every request in flight with the wake error, which the engine waits out instead of counting', async () => {
    const url = await silentServer();
    const http = new InterruptibleHttp(nodeHttp({}));
    const caller = new AbortController();
    const requests = [inFlight(url, http, caller.signal), inFlight(url, http, caller.signal)];
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(http.interrupt(wokeError(3_600_000))).toBe(2);
    for (const request of requests) {
      const error = await request.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DeliveryError);
      expect(isUnreachable(error as DeliveryError)).toBe(true);
      expect((error as DeliveryError).message).toBe(
        'the machine slept 60 min: sending again with a fresh URL',
      );
    }
    expect(http.interrupt(wokeError(0))).toBe(0);
  });

  it("keeps the caller's own abort reason: a pause stays a pause", async () => {
    const url = await silentServer();
    const http = new InterruptibleHttp(nodeHttp({}));
    const caller = new AbortController();
    const request = inFlight(url, http, caller.signal);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const pause = new Error('pause');
    caller.abort(pause);
    await expect(request).rejects.toBe(pause);
  });
});
