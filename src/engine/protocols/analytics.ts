import { SINGLE_PUT_LIMIT } from '../../shared/config.js';
import type { JsonObject } from '../../shared/json-value.js';
import { presignedProfile } from './presigned-put.js';

/** The body the analytics API documents: the dataset type and the file's name and type. */
const ANALYTICS_BODY: JsonObject = {
  datasetType: '{datasetType}',
  file: { name: '{filename}', type: '{type}' },
};

/**
 * The analytics API: POST the dataset type and the file's name and type, PUT the file to the
 * URL in the answer, then follow `GET <the endpoint's folder>/{id}` (Pending → Processing →
 * Completed | Failed) until the vendor has imported it.
 */
export const analytics = presignedProfile({
  config: {
    defaultAuth: 'auth-api-token',
    defaultBody: ANALYTICS_BODY,
    needsTemplates: false,
    largestFile: SINGLE_PUT_LIMIT,
  },
  body: (_name, target) => target.request?.body ?? ANALYTICS_BODY,
  // `https://host/analytics/files/upload` gives `https://host/analytics/files/<id>`.
  statusUrl: (endpoint, remoteId) => new URL(encodeURIComponent(remoteId), endpoint).toString(),
  untested:
    'Not tested: the analytics API registers the file in the dataset with its first request, and a test would leave an entry waiting for an upload that never comes. Deliver a small file to check this target.',
});
