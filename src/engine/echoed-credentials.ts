import { redactLiterals } from '../shared/redact.js';
import type { HttpResponse } from './ports.js';

/** Request headers whose value is a credential. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'auth-api-token', 'x-api-key'];

/** The secrets a request carries: each credential header's value, and a scheme's token alone. */
export function credentialsOf(headers: Readonly<Record<string, string>>): string[] {
  const found: string[] = [];
  for (const name of CREDENTIAL_HEADERS) {
    const value = headers[name];
    if (value === undefined) continue;
    found.push(value);
    // `Bearer abc`: a vendor may quote the token without its scheme.
    const token = /^\S+\s+(\S+)$/.exec(value)?.[1];
    if (token !== undefined) found.push(token);
  }
  return found;
}

/**
 * The answer with the request's own credentials cut out of its body, before anything reads it:
 * a vendor that repeats the token ("invalid token abc…") must not get it into a message, which
 * is later cut to length (a cut token is no longer found) and then shown, logged and journaled.
 */
export function withoutEchoedCredentials(
  response: HttpResponse,
  headers: Readonly<Record<string, string>>,
): HttpResponse {
  const credentials = credentialsOf(headers);
  if (credentials.length === 0) return response;
  const body = redactLiterals(response.body, credentials);
  return body === response.body ? response : { ...response, body };
}
