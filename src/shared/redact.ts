/**
 * Removes secrets from anything about to be written (logs, job history, error messages):
 * presigned query strings, tokens, Authorization / Auth-Api-Token header values, and
 * passwords in URLs. It errs on the side of removing too much: a log line that lost a
 * harmless query string costs little, a leaked signature can be replayed for an hour.
 */

export const REDACTED = '[redacted]';

/** Query parameters that make a URL a bearer credential: AWS SigV2/V4, GCS, Azure SAS, CloudFront. */
const PRESIGNED_PARAM = /^(?:x-amz-[a-z-]+|x-goog-[a-z-]+|awsaccesskeyid|signature|sig|policy|key-pair-id)$/i;

/** Parameters whose value is a secret wherever they appear, in a URL or loose in text. */
const SECRET_PARAM =
  /\b(x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|awsaccesskeyid|signature|sig|access_token|refresh_token|id_token|api_key|apikey|token|password|passwd|secret)(=|%3D)[^&\s"'<>\\]+/gi;

/** Header names (and JSON keys) whose value is a secret. */
const SECRET_KEY =
  /^(?:authorization|proxy-authorization|auth-api-token|x-api-key|api-key|apikey|api_key|token|access_token|refresh_token|password|passwd|secret|cookie|set-cookie|x-amz-security-token)$/i;

const HEADER_NAMES = 'authorization|proxy-authorization|auth-api-token|x-api-key|cookie|set-cookie';

/** `Authorization: Bearer abc`, `auth-api-token=abc` in a header dump, one line at a time. */
const HEADER_LINE = new RegExp(
  String.raw`\b(${HEADER_NAMES})(\s*[:=]\s*)(?!\s|\[redacted\])[^\r\n,;"'}]+`,
  'gi',
);

/** `"authorization": "abc"` inside JSON text, the shape a serialized log record has. */
const JSON_SECRET = new RegExp(
  String.raw`("(?:${HEADER_NAMES}|token|access_token|refresh_token|password|passwd|secret|api_key|apikey)"\s*:\s*)"(?:[^"\\]|\\.)*"`,
  'gi',
);

const BEARER = /\b(Bearer|Basic)\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]+/g;

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

/** `scheme://user:password@host`: the password goes, the user stays to help diagnosis. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"'<>]*):[^\s@/"'<>]*@/gi;

function looksPresigned(query: string): boolean {
  return query
    .split(/&|\\u0026/i)
    .some((pair) => PRESIGNED_PARAM.test(decodeSafely(pair.split('=', 1)[0] ?? '')));
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const hashStart = url.indexOf('#', queryStart);
  const query = url.slice(queryStart + 1, hashStart === -1 ? undefined : hashStart);
  return looksPresigned(query) ? `${url.slice(0, queryStart)}?${REDACTED}` : url;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Secrets shorter than this are not searched for literally: they would blank out ordinary words. */
const MIN_LITERAL_SECRET = 6;

/** A secret as it may appear in text: itself, escaped inside a JSON string, or URL-encoded. */
function spellings(secret: string): string[] {
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])];
}

/**
 * `text` with every literal secret removed, however a vendor may have quoted it back (plain, in
 * a JSON string, URL-encoded), and nothing else touched: safe on an answer Ferry still has to
 * read, such as a presigned URL, which the patterns of `redact` would cut.
 */
export function redactLiterals(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_LITERAL_SECRET) continue;
    for (const spelling of spellings(secret))
      out = out.replace(new RegExp(escapeRegExp(spelling), 'g'), REDACTED);
  }
  return out;
}

function redactText(text: string, secrets: readonly string[]): string {
  return redactLiterals(text, secrets)
    .replace(URL_PASSWORD, `$1:${REDACTED}@`)
    .replace(URL_IN_TEXT, redactUrl)
    .replace(SECRET_PARAM, `$1$2${REDACTED}`)
    .replace(JSON_SECRET, `$1"${REDACTED}"`)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(HEADER_LINE, `$1$2${REDACTED}`);
}

function redactValue(value: unknown, secrets: readonly string[], seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets, seen));
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message, secrets) };
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redactValue(item, secrets, seen);
  }
  return out;
}

/**
 * Returns a copy of `value` without secrets. Strings are scrubbed; objects are copied with
 * secret-named keys blanked and every string inside scrubbed. `secrets` are literal values
 * (the current token) removed wherever they appear.
 */
export function redact(value: string, secrets?: readonly string[]): string;
export function redact(value: unknown, secrets?: readonly string[]): unknown;
export function redact(value: unknown, secrets: readonly string[] = []): unknown {
  return redactValue(value, secrets, new WeakSet());
}
