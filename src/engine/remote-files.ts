import { DeliveryError } from './delivery-error.js';
import type { Http, SecretStore } from './ports.js';
import type { RemoteFile } from './protocols/protocol.js';
import type { TargetSpec } from './target-spec.js';
import { ensureOk } from './vendor-answer.js';

/**
 * What the vendor holds for a target, where its API can list it (the form API's
 * `GET /api/v1/files`). One request, asked by a person: a failure is told, not retried.
 */
export async function listRemoteFiles(
  ports: { readonly http: Http; readonly secrets: SecretStore },
  spec: Pick<TargetSpec, 'name' | 'protocol'>,
  signal: AbortSignal,
): Promise<RemoteFile[]> {
  const { listing } = spec.protocol;
  if (listing === undefined)
    throw new DeliveryError('config', `the API of target '${spec.name}' has no file list to read`);
  const token = await ports.secrets.token(spec.name);
  const response = await ports.http.request({ ...listing.request(token), signal });
  return listing.read(ensureOk(response, 'file-list'));
}
