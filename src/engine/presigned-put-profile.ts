import { assertNever } from '../shared/assert-never.js';
import { renderTemplate, TemplateError } from '../shared/body-template.js';
import type { AuthStyle } from '../shared/config.js';
import { endpointProblem } from '../shared/config.js';
import { readDotPath } from '../shared/dot-path.js';
import type { JsonValue } from '../shared/json-value.js';
import { DeliveryError } from './delivery-error.js';
import type { HttpResponse } from './ports.js';

/**
 * The presigned-PUT family: POST a JSON body with a token, read `{url, id}` from the answer,
 * PUT the bytes to the URL. Lexer's File Upload API is one member; others are described by
 * templates in the config.
 */
export interface PresignedPutSpec {
  /** The URL of the request that grants an upload URL. */
  readonly endpoint: string;
  readonly auth: AuthStyle;
  /** The body template; its placeholders are filled from the file's variables. */
  readonly body: JsonValue;
  /** Dot-paths into the answer. */
  readonly urlPath: string;
  readonly idPath: string;
}

export interface GrantRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface UrlGrant {
  /** The presigned URL: a credential in itself, never logged unredacted. */
  readonly url: string;
  readonly remoteId: string;
}

export function authHeaders(style: AuthStyle, token: string): Record<string, string> {
  switch (style) {
    case 'auth-api-token':
      return { 'auth-api-token': token };
    case 'bearer':
      return { authorization: `Bearer ${token}` };
    default:
      return assertNever(style);
  }
}

export function grantRequest(
  spec: Pick<PresignedPutSpec, 'endpoint' | 'auth' | 'body'>,
  variables: Readonly<Record<string, string>>,
  token: string,
): GrantRequest {
  let body: JsonValue;
  try {
    body = renderTemplate(spec.body, variables);
  } catch (error) {
    if (error instanceof TemplateError) throw new DeliveryError('config', error.message);
    throw error;
  }
  return {
    url: spec.endpoint,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...authHeaders(spec.auth, token),
    },
    body: JSON.stringify(body),
  };
}

function badAnswer(status: number, what: string): DeliveryError {
  return new DeliveryError('bad-answer', `the upload-URL request answered HTTP ${status} with ${what}`, {
    status,
  });
}

/** Reads a 2xx answer of the grant request. Anything unusable is a `bad-answer`, retried. */
export function readGrant(spec: PresignedPutSpec, response: HttpResponse): UrlGrant {
  let parsed: unknown;
  try {
    // JSON.parse turns the vendor's `\u0026` back into `&`, the pitfall its docs warn about.
    parsed = JSON.parse(response.body);
  } catch {
    const what = /^\s*</.test(response.body)
      ? 'an HTML or XML page instead of JSON'
      : 'a body that is not JSON';
    throw badAnswer(response.status, what);
  }
  const url = readDotPath(parsed, spec.urlPath);
  if (typeof url !== 'string' || url === '') throw badAnswer(response.status, `no URL at '${spec.urlPath}'`);
  const problem = endpointProblem(url);
  if (problem !== undefined) throw badAnswer(response.status, `an unusable upload URL (${problem})`);
  const id = readDotPath(parsed, spec.idPath);
  if (typeof id !== 'string' && typeof id !== 'number') {
    throw badAnswer(response.status, `no id at '${spec.idPath}'`);
  }
  return { url, remoteId: String(id) };
}
