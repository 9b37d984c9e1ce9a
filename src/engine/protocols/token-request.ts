import { assertNever } from '../../shared/assert-never.js';
import { renderTemplate, TemplateError } from '../../shared/body-template.js';
import type { AuthStyle } from '../../shared/config.js';
import type { JsonValue } from '../../shared/json-value.js';
import { DeliveryError } from '../delivery-error.js';
import type { HttpRequest } from '../ports.js';
import type { TokenRequest } from './protocol.js';

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

/** A body template filled from the file's variables; one it cannot fill is a config error. */
export function renderBody(template: JsonValue, variables: Readonly<Record<string, string>>): JsonValue {
  try {
    return renderTemplate(template, variables);
  } catch (error) {
    if (error instanceof TemplateError) throw new DeliveryError('config', error.message);
    throw error;
  }
}

/** The JSON POST that opens an upload: the body template filled in, with the target's token. */
export function templateRequest(
  spec: { readonly endpoint: string; readonly auth: AuthStyle; readonly body: JsonValue },
  variables: Readonly<Record<string, string>>,
  token: string,
): TokenRequest {
  return {
    url: spec.endpoint,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...authHeaders(spec.auth, token),
    },
    body: JSON.stringify(renderBody(spec.body, variables)),
  };
}

/** The GET that asks how the vendor's import of a delivered file is going. */
export function statusRequest(url: string, auth: AuthStyle, token: string): Omit<HttpRequest, 'signal'> {
  return { method: 'GET', url, headers: { accept: 'application/json', ...authHeaders(auth, token) } };
}
