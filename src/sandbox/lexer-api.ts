import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkFilename } from './filename-check.js';
import { readJsonObject, sendApiError, sendJson } from './json-http.js';
import type { SandboxContext } from './sandbox-context.js';

/** Extra request fields (dataset_id, record_type, ...) must be plain values. */
function badField(fields: Readonly<Record<string, unknown>>): string | undefined {
  return Object.entries(fields).find(
    ([, value]) => !['string', 'number', 'boolean'].includes(typeof value),
  )?.[0];
}

/** `POST /v1/uploads` `{"filename", ...fields}` → `{"id", "url"}` (seeds 000–002). */
export async function createLexerUpload(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readJsonObject(req);
  if (!body.ok) {
    sendApiError(res, body.status, body.message);
    return;
  }
  const { filename, ...fields } = body.value;
  const verdict = checkFilename(filename);
  if (!verdict.ok) {
    sendApiError(res, 400, verdict.message, verdict.details);
    return;
  }
  const field = badField(fields);
  if (field !== undefined) {
    sendApiError(res, 400, `field "${field}" must be a string, a number or a boolean`);
    return;
  }
  const id = ctx.state.nextId();
  const key = `lexer/${id}/${verdict.filename}`;
  ctx.state.state.targets.push({
    key,
    filename: verdict.filename,
    api: 'lexer',
    id: String(id),
    fields,
    createdAt: new Date().toISOString(),
  });
  const url = await ctx.presigner.put(key);
  await ctx.state.save();
  sendJson(res, 200, { id, url });
}
