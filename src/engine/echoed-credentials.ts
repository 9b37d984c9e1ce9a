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
 * The answer, told the credentials of its request: a vendor that repeats the token ("invalid
 * token abc…") must not get it into a message, and the message is cut to length (where a cut
 * token would no longer be found by anything that scrubs later), then shown, logged, journaled.
 */
export function withRequestCredentials(
  response: HttpResponse,
  headers: Readonly<Record<string, string>>,
): HttpResponse {
  const credentials = credentialsOf(headers);
  return credentials.length === 0 ? response : { ...response, credentials };
}
