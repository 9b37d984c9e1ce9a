import type { IncomingMessage, ServerResponse } from 'node:http';
import { createAnalyticsUpload, getAnalyticsFile } from './analytics-api.js';
import { createFormFile, downloadFormFile, getFormTask, listFormFiles } from './form-api.js';
import { createToken, listDays, listDeliveries, listTokens, revokeToken } from './inspection-api.js';
import { createLexerUpload } from './lexer-api.js';
import {
  abortMultipart,
  completeMultipart,
  createMultipart,
  listParts,
  presignPart,
} from './multipart-api.js';
import type { SandboxContext } from './sandbox-context.js';

/** How a route authenticates: the lexer header, a Bearer token, or either. */
export type AuthStyle = 'api-token' | 'bearer' | 'either';

/** `api` routes are the vendor APIs (rate limits and faults apply); `sandbox` routes never fail on purpose. */
export type RouteScope = 'api' | 'sandbox';

export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly auth: AuthStyle;
  readonly scope: RouteScope;
  readonly handle: (
    ctx: SandboxContext,
    req: IncomingMessage,
    res: ServerResponse,
    params: readonly string[],
  ) => void | Promise<void>;
}

const SEGMENT = '([^/]+)';

function route(
  method: string,
  path: string,
  auth: AuthStyle,
  scope: RouteScope,
  handle: Route['handle'],
): Route {
  return { method, pattern: new RegExp(`^${path.replaceAll(':p', SEGMENT)}$`), auth, scope, handle };
}

/** Every vendor and sandbox endpoint; paths use `:p` for one path segment. */
const ROUTES: readonly Route[] = [
  route('POST', '/v1/uploads', 'api-token', 'api', (ctx, req, res) => createLexerUpload(ctx, req, res)),
  route('POST', '/v1/multipart', 'api-token', 'api', (ctx, req, res) => createMultipart(ctx, req, res)),
  route('POST', '/v1/multipart/:p/parts/:p', 'api-token', 'api', (ctx, _req, res, [id = '', n = '']) =>
    presignPart(ctx, res, id, n),
  ),
  route('GET', '/v1/multipart/:p/parts', 'api-token', 'api', (ctx, _req, res, [id = '']) => {
    listParts(ctx, res, id);
  }),
  route('POST', '/v1/multipart/:p/complete', 'api-token', 'api', (ctx, req, res, [id = '']) =>
    completeMultipart(ctx, req, res, id),
  ),
  route('DELETE', '/v1/multipart/:p', 'api-token', 'api', (ctx, _req, res, [id = '']) =>
    abortMultipart(ctx, res, id),
  ),
  route('POST', '/analytics/files/upload', 'either', 'api', (ctx, req, res) =>
    createAnalyticsUpload(ctx, req, res),
  ),
  route('GET', '/analytics/files/:p', 'either', 'api', (ctx, _req, res, [id = '']) => {
    getAnalyticsFile(ctx, res, id);
  }),
  route('GET', '/api/v1/files', 'bearer', 'api', (ctx, _req, res) => {
    listFormFiles(ctx, res);
  }),
  route('POST', '/api/v1/file/new', 'bearer', 'api', (ctx, req, res) => createFormFile(ctx, req, res)),
  // The seed's own curl example posts the form to /api/v1/files, so that works too.
  route('POST', '/api/v1/files', 'bearer', 'api', (ctx, req, res) => createFormFile(ctx, req, res)),
  route('GET', '/api/v1/tasks/:p', 'bearer', 'api', (ctx, _req, res, [id = '']) => {
    getFormTask(ctx, res, id);
  }),
  route('GET', '/api/v1/file/download/:p', 'bearer', 'api', (ctx, _req, res, [id = '']) =>
    downloadFormFile(ctx, res, id),
  ),
  route('GET', '/sandbox/deliveries', 'either', 'sandbox', (ctx, req, res) => {
    listDeliveries(ctx, req, res);
  }),
  route('GET', '/sandbox/days', 'either', 'sandbox', (ctx, _req, res) => {
    listDays(ctx, res);
  }),
  route('GET', '/sandbox/tokens', 'either', 'sandbox', (ctx, _req, res) => {
    listTokens(ctx, res);
  }),
  route('POST', '/sandbox/tokens', 'either', 'sandbox', (ctx, req, res) => createToken(ctx, req, res)),
  route('DELETE', '/sandbox/tokens/:p', 'either', 'sandbox', (ctx, _req, res, [id = '']) =>
    revokeToken(ctx, res, id),
  ),
];

export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route; readonly params: readonly string[] }
  | { readonly kind: 'wrong-method' }
  | { readonly kind: 'not-found' };

export function matchRoute(method: string, path: string): RouteMatch {
  let pathMatched = false;
  for (const candidate of ROUTES) {
    const match = candidate.pattern.exec(path);
    if (match === null) continue;
    if (candidate.method !== method) {
      pathMatched = true;
      continue;
    }
    const params = match.slice(1).map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
    return { kind: 'found', route: candidate, params };
  }
  return pathMatched ? { kind: 'wrong-method' } : { kind: 'not-found' };
}
