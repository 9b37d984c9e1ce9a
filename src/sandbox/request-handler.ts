import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { drawFault, type Fault, type FaultRates } from './faults.js';
import { sendApiError } from './json-http.js';
import { handleObjectRequest } from './object-endpoint.js';
import { OBJECT_PATH_PREFIX } from './presigner.js';
import type { RateLimiter } from './rate-limiter.js';
import { matchRoute } from './routes.js';
import { sendS3Error } from './s3-error.js';
import type { SandboxContext } from './sandbox-context.js';
import { tokenFrom } from './token-registry.js';

export interface FaultSettings {
  readonly latencyMs: number;
  readonly rates: FaultRates;
  readonly limiter: RateLimiter | undefined;
  readonly random: () => number;
}

/** Marks an answer as a deliberate fault, so a person reading a log can tell it from a bug. */
const FAULT_HEADER = 'X-Ferry-Sandbox-Fault';

/** Runs `then` once the client has started sending its body (or has sent an empty one). */
function afterFirstBytes(req: IncomingMessage, res: ServerResponse, then: () => void): void {
  if (req.headers.expect?.toLowerCase() === '100-continue') res.writeContinue();
  let fired = false;
  const fire = () => {
    if (fired) return;
    fired = true;
    then();
  };
  req.once('data', fire);
  req.once('end', fire);
}

function injectFault(
  fault: Exclude<Fault, { kind: 'none' }>,
  req: IncomingMessage,
  res: ServerResponse,
  object: boolean,
): void {
  switch (fault.kind) {
    case 'status':
      res.setHeader(FAULT_HEADER, String(fault.status));
      if (object) {
        res.setHeader('Connection', 'close');
        sendS3Error(
          res,
          fault.status === 500
            ? {
                status: 500,
                code: 'InternalError',
                message: 'We encountered an internal error. Please try again.',
              }
            : { status: 503, code: 'ServiceUnavailable', message: 'Service is unable to handle request.' },
        );
      } else {
        sendApiError(
          res,
          fault.status,
          fault.status === 500 ? 'internal server error' : 'service unavailable',
        );
      }
      return;
    case 'reset':
      // An upload is cut off mid-body, the way a dropped connection looks to a client.
      if (object && req.method === 'PUT') afterFirstBytes(req, res, () => req.socket.resetAndDestroy());
      else req.socket.resetAndDestroy();
      return;
    case 'stall':
      // No answer ever comes; an upload stops being read after its first bytes.
      if (object && req.method === 'PUT') afterFirstBytes(req, res, () => req.pause());
      return;
  }
}

async function handle(
  ctx: SandboxContext,
  faults: FaultSettings,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = req.method ?? 'GET';
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const object = path.startsWith(`${OBJECT_PATH_PREFIX}/`);
  const match = object ? undefined : matchRoute(method, path);
  const scope = match?.kind === 'found' ? match.route.scope : 'api';

  if (scope === 'api') {
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (!object && faults.limiter !== undefined) {
      const decision = faults.limiter.take();
      if (!decision.allowed) {
        sendApiError(
          res,
          429,
          'rate limit exceeded',
          {},
          { 'Retry-After': String(decision.retryAfterSeconds) },
        );
        return;
      }
    }
    const fault = drawFault(faults.rates, faults.random);
    if (fault.kind !== 'none') {
      injectFault(fault, req, res, object);
      return;
    }
  }
  if (match === undefined) {
    await handleObjectRequest(ctx, req, res);
    return;
  }
  switch (match.kind) {
    case 'not-found':
      sendApiError(res, 404, `no endpoint ${method} ${path}`);
      return;
    case 'wrong-method':
      sendApiError(res, 405, `${method} is not allowed on ${path}`);
      return;
    case 'found':
      break;
  }
  if (!ctx.tokens.isValid(tokenFrom(req.headers, match.route.auth))) {
    const how = match.route.auth === 'bearer' ? 'an Authorization: Bearer' : 'an Auth-Api-Token';
    sendApiError(res, 401, `missing or unknown API token: send ${how} header`);
    return;
  }
  if (req.headers.expect?.toLowerCase() === '100-continue') res.writeContinue();
  await match.route.handle(ctx, req, res, match.params);
}

/** The sandbox's one request listener: latency, rate limit and faults first, then the route. */
export function createRequestHandler(
  ctx: SandboxContext,
  faults: FaultSettings,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(ctx, faults, req, res).catch((error: unknown) => {
      ctx.log(
        `${req.method ?? '?'} ${(req.url ?? '').split('?')[0] ?? ''} failed: ${(error as Error).stack ?? String(error)}`,
      );
      if (res.headersSent) res.destroy();
      else sendApiError(res, 500, 'internal error');
    });
  };
}
