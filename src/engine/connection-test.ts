import type { ConnectionTest } from '../shared/contract.js';
import type { FolderConfig } from './config/folder-schema.js';
import { redact } from '../shared/redact.js';
import { toDeliveryError } from './delivery-error.js';
import { withRequestCredentials } from './echoed-credentials.js';
import type { Http, SecretStore } from './ports.js';
import { fileVariables, type TargetSpec } from './target-spec.js';
import { errorFromResponse, isOk } from './vendor-answer.js';

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
 * "Test connection": the target's real first request, with its real token, for
 * a probe file name; it passes when an upload URL comes back. No PUT follows,
 * so no data is sent. The answer says what happened in the user's terms.
 */
export async function testConnection(
  ports: { readonly http: Http; readonly secrets: SecretStore },
  spec: TargetSpec,
  folder: Pick<FolderConfig, 'rule' | 'fields'>,
  now: number,
  signal: AbortSignal,
): Promise<ConnectionTest> {
  const { probe } = spec.protocol;
  if (!probe.harmless) return { outcome: 'not-tested', message: probe.reason };
  let token = '';
  // The window shows the message: scrubbed as a delivery's error is (see deliver-file.ts).
  const failed = (message: string): ConnectionTest => ({
    outcome: 'failed',
    message: redact(message, [token]),
  });
  try {
    token = await ports.secrets.token(spec.name);
    const name = probeName(now);
    const variables: Record<string, string> = { ...fileVariables(name, folder) };
    // A test has no file for the rule's fields; the request must still be complete.
    for (const variable of probe.variables) variables[variable] ??= PROBE_VALUE;
    const call = probe.request(variables, token);
    // Told its token, which no message may quote of it.
    const response = withRequestCredentials(
      await ports.http.request({ method: 'POST', ...call, signal }),
      call.headers,
    );
    if (!isOk(response)) {
      const error = errorFromResponse(response, 'url-request');
      const hint = error.kind === 'token-rejected' ? ' Set a new token for this target.' : '';
      return failed(`${error.message}.${hint}`);
    }
    probe.check(response);
    return {
      outcome: 'ok',
      message: `The endpoint accepted the token and answered with an upload URL for ${name}. Nothing was uploaded.`,
    };
  } catch (error) {
    return failed(toDeliveryError(error).message);
  }
}
