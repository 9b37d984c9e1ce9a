import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonObject, sendApiError, sendJson } from './json-http.js';
import type { SandboxContext } from './sandbox-context.js';
import { TokenLimitError } from './token-registry.js';

/** `GET /sandbox/deliveries`: every object that arrived, with its size and sha256. */
export function listDeliveries(ctx: SandboxContext, res: ServerResponse): void {
  sendJson(res, 200, { deliveries: ctx.state.state.deliveries });
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
