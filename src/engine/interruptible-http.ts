import type { Http, HttpRequest, HttpResponse } from './ports.js';

/**
 * An Http that can abort every request in flight at once, with a reason the caller sees as the
 * request's error. After the machine slept, sockets opened before are dead or half-dead and
 * presigned URLs may be stale: aborting them makes each delivery start its attempt over (with
 * a fresh URL) now, instead of when a stall timer or a TCP timeout gives up on them.
 */
export class InterruptibleHttp implements Http {
  readonly #inFlight = new Set<AbortController>();

  constructor(private readonly inner: Http) {}

  async request(request: HttpRequest): Promise<HttpResponse> {
    const own = new AbortController();
    const forward = () => {
      own.abort(request.signal.reason);
    };
    if (request.signal.aborted) forward();
    else request.signal.addEventListener('abort', forward, { once: true });
    this.#inFlight.add(own);
    try {
      return await this.inner.request({ ...request, signal: own.signal });
    } catch (error) {
      // The caller's own abort keeps its own reason (a pause is not an error); an interruption
      // becomes the error of the request, whatever the adapter made of the abort.
      if (own.signal.aborted && !request.signal.aborted) throw own.signal.reason as Error;
      throw error;
    } finally {
      this.#inFlight.delete(own);
      request.signal.removeEventListener('abort', forward);
    }
  }

  /** Aborts every request in flight with `reason`; returns how many there were. */
  interrupt(reason: Error): number {
    const count = this.#inFlight.size;
    for (const controller of this.#inFlight) controller.abort(reason);
    return count;
  }
}
