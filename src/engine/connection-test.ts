import { assertNever } from '../shared/assert-never.js';
import { templateVariables } from '../shared/body-template.js';
import type { ProfileName } from '../shared/config.js';
import type { ConnectionTest } from '../shared/contract.js';
import type { FolderConfig } from './config/folder-schema.js';
import { toDeliveryError } from './delivery-error.js';
import type { Http, SecretStore } from './ports.js';
import { grantRequest, readGrant } from './presigned-put-profile.js';
import { fileVariables, type TargetSpec } from './target-spec.js';
import { errorFromResponse } from './vendor-answer.js';

/** What a probe fills a template variable with when no file can: plainly a test. */
const PROBE_VALUE = 'ferry-connection-test';

/**
 * The file name a connection test asks an upload URL for: it follows the naming
 * convention (with today's date), so a vendor that checks names accepts it, and
 * it says what it is to anyone who reads the vendor's log.
 */
export function probeName(now: number): string {
  return `${PROBE_VALUE}-${new Date(now).toISOString().slice(0, 10)}-v1.csv`;
}

/**
 * Why a profile's first request cannot be sent as a test, or undefined when it
 * can: only asking for a presigned URL is harmless, because nothing exists at
 * the vendor until bytes are PUT there.
 */
export function untestedReason(profile: ProfileName): string | undefined {
  switch (profile) {
    case 'lexer':
    case 'presigned-put':
      return undefined;
    case 'analytics':
      return 'Not tested: the analytics API registers the file in the dataset with its first request, and a test would leave an entry waiting for an upload that never comes. Deliver a small file to check this target.';
    case 'form':
      return 'Not tested: the form API takes the file itself in its only request, so there is no request without data. Deliver a small file to check this target.';
    case 's3-multipart':
      return 'Not tested: the first request starts a multipart upload at the vendor, which a test would leave open. Deliver a small file to check this target.';
    default:
      return assertNever(profile);
  }
}

/**
 * "Test connection": the target's real first request, with its real token, for
 * a probe file name; it passes when an upload URL comes back. No PUT follows,
 * so no data is sent. The answer says what happened in the user's terms.
 */
export async function testConnection(
  ports: { readonly http: Http; readonly secrets: SecretStore },
  profile: ProfileName,
  spec: TargetSpec,
  folder: Pick<FolderConfig, 'rule' | 'fields'>,
  now: number,
  signal: AbortSignal,
): Promise<ConnectionTest> {
  const untested = untestedReason(profile);
  if (untested !== undefined || spec.protocol.kind !== 'presigned-put')
    return {
      outcome: 'not-tested',
      message: untested ?? 'Not tested: this profile sends no harmless request.',
    };
  const grant = spec.protocol.spec;
  try {
    const token = await ports.secrets.token(spec.name);
    const name = probeName(now);
    const variables: Record<string, string> = { ...fileVariables(name, folder) };
    // A test has no file for the rule's fields; the request must still be complete.
    for (const variable of templateVariables(grant.body)) variables[variable] ??= PROBE_VALUE;
    const request = grantRequest(grant, variables, token);
    const response = await ports.http.request({ method: 'POST', ...request, signal });
    if (response.status < 200 || response.status > 299) {
      const error = errorFromResponse(response, 'url-request');
      const hint = error.kind === 'token-rejected' ? ' Set a new token for this target.' : '';
      return { outcome: 'failed', message: `${error.message}.${hint}` };
    }
    readGrant(grant, response);
    return {
      outcome: 'ok',
      message: `The endpoint accepted the token and answered with an upload URL for ${name}. Nothing was uploaded.`,
    };
  } catch (error) {
    return { outcome: 'failed', message: toDeliveryError(error).message };
  }
}
