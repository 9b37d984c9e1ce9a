import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonObject, sendApiError, sendJson } from './json-http.js';
import type { SandboxContext } from './sandbox-context.js';
import { TokenLimitError } from './token-registry.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `GET /sandbox/deliveries[?date=YYYY-MM-DD]`: every object that arrived (on that UTC day), with
 * its size and sha256: what a client's delivery receipts are compared with.
 */
export function listDeliveries(ctx: SandboxContext, req: IncomingMessage, res: ServerResponse): void {
  const date = new URL(req.url ?? '/', 'http://sandbox').searchParams.get('date');
  if (date !== null && !DAY.test(date)) {
    sendApiError(res, 400, `date must be YYYY-MM-DD, got '${date}'`);
    return;
  }
  const { deliveries } = ctx.state.state;
  sendJson(res, 200, {
    deliveries: date === null ? deliveries : deliveries.filter((d) => d.receivedAt.startsWith(date)),
  });
}

/** `GET /sandbox/days`: per UTC day received, how many files and bytes arrived, oldest day first. */
export function listDays(ctx: SandboxContext, res: ServerResponse): void {
  const days = new Map<string, { files: number; bytes: number }>();
  for (const delivery of ctx.state.state.deliveries) {
    const date = delivery.receivedAt.slice(0, 10);
    const day = days.get(date) ?? { files: 0, bytes: 0 };
    days.set(date, { files: day.files + 1, bytes: day.bytes + delivery.size });
  }
  sendJson(res, 200, {
    days: [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, day]) => ({ date, ...day })),
  });
}

/** `GET /sandbox/tokens`: the active tokens (ids and labels; tokens themselves are not kept). */
export function listTokens(ctx: SandboxContext, res: ServerResponse): void {
  sendJson(res, 200, { tokens: ctx.tokens.list() });
}

/** `POST /sandbox/tokens` `{"label"?}` → `{"id", "token", "label"}`; 409 beyond five. */
export async function createToken(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readJsonObject(req);
  if (!body.ok) {
    sendApiError(res, body.status, body.message);
    return;
  }
  const label = body.value.label ?? 'api';
  if (typeof label !== 'string') {
    sendApiError(res, 400, 'label must be a string');
    return;
  }
  try {
    const { id, token } = ctx.tokens.create(label);
    await ctx.state.save();
    sendJson(res, 201, { id, token, label });
  } catch (error) {
    if (!(error instanceof TokenLimitError)) throw error;
    sendApiError(res, 409, error.message);
  }
}

/** `DELETE /sandbox/tokens/{id}`. */
export async function revokeToken(ctx: SandboxContext, res: ServerResponse, id: string): Promise<void> {
  if (!ctx.tokens.revoke(id)) {
    sendApiError(res, 404, `no token ${id}`);
    return;
  }
  await ctx.state.save();
  res.writeHead(204);
  res.end();
}
