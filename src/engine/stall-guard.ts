import { DeliveryError } from './delivery-error.js';
import type { Clock } from './ports.js';

/**
 * Runs one request and aborts it when it goes quiet for `stallMs`: no bytes acknowledged
 * and no answer. A dead connection can otherwise hang for as long as the OS keeps the
 * socket, which on some networks is hours.
 *
 * `run` gets the signal to hand to the request and `touch`, to call whenever bytes move.
 * A stall rejects with a DeliveryError of kind `stalled`; the caller's own abort wins over it.
 */
export async function withStallGuard<T>(
  clock: Clock,
  stallMs: number,
  signal: AbortSignal,
  run: (signal: AbortSignal, touch: () => void) => Promise<T>,
): Promise<T> {
  const request = new AbortController();
  const stopWatching = new AbortController();
  const forwardAbort = () => {
    request.abort(signal.reason);
  };
  signal.addEventListener('abort', forwardAbort, { once: true });
  let lastActivity = clock.now();
  const touch = () => {
    lastActivity = clock.now();
  };

  const watch = async () => {
    while (!stopWatching.signal.aborted) {
      const left = lastActivity + stallMs - clock.now();
      if (left <= 0) {
        const seconds = Math.round(stallMs / 1_000);
        request.abort(new DeliveryError('stalled', `no progress for ${seconds} s: the attempt was aborted`));
        return;
      }
      try {
        await clock.sleep(left, stopWatching.signal);
      } catch {
        return;
      }
    }
  };
  const watching = watch();

  try {
    return await run(request.signal, touch);
  } catch (error) {
    if (request.signal.aborted && !signal.aborted) throw request.signal.reason;
    throw error;
  } finally {
    stopWatching.abort();
    signal.removeEventListener('abort', forwardAbort);
    // The request is over however it ended: whatever still hangs on its signal (an open
    // file stream a failed request never drained) must let go now.
    if (!request.signal.aborted) request.abort(new Error('request finished'));
    await watching;
  }
}
