import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest JSON request body the vendor APIs accept; real bodies are a few hundred bytes. */
const MAX_JSON_BODY = 64 * 1024;

/**
 * Serialises like the vendor's server (Go's encoder): `&`, `<` and `>` become `\u0026`,
 * `\u003c`, `\u003e`. The seeds warn about exactly this, so clients must meet it here too.
 */
export function vendorJson(body: unknown): string {
  return JSON.stringify(body).replace(/[&<>]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = `${vendorJson(body)}\n`;
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** A JSON error answer: `{"error": message, ...details}`. */
export function sendApiError(
  res: ServerResponse,
  status: number,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
  headers: Readonly<Record<string, string>> = {},
): void {
  sendJson(res, status, { error: message, ...details }, headers);
}

export type JsonBody =
  | { readonly ok: true; readonly value: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly status: 400 | 413; readonly message: string };

/** Reads a small JSON object body; anything else is the client's mistake (400/413). */
export async function readJsonObject(req: IncomingMessage): Promise<JsonBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BODY) {
      return { ok: false, status: 413, message: `request body exceeds ${MAX_JSON_BODY} bytes` };
    }
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    return { ok: false, status: 400, message: `malformed JSON body: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, status: 400, message: 'the request body must be a JSON object' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
