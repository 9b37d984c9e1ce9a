import { MULTIPART_LIMIT } from './multipart-plan.js';
import type { MultipartSpec } from './multipart-requests.js';
import { sendMultipart } from './multipart-upload.js';
import type { Protocol } from './protocol.js';

const FILENAME_BODY = { filename: '{filename}' };

/**
 * An S3 multipart upload behind the vendor's API: `POST <endpoint>` `{"filename"}` creates it,
 * each part gets its own presigned URL, and the parts the server holds survive a crash.
 */
export const s3Multipart: Protocol = {
  // Parts make the limit: a target's maxBytes may name anything up to MULTIPART_LIMIT.
  config: { defaultAuth: 'auth-api-token', defaultBody: FILENAME_BODY, needsTemplates: false },
  maxBytes: MULTIPART_LIMIT,
  resumes: 'parts',
  bind(_name, target) {
    const spec: MultipartSpec = {
      endpoint: target.endpoint,
      auth: target.auth.style,
      body: target.request?.body ?? FILENAME_BODY,
    };
    return {
      endpoint: spec.endpoint,
      send: (upload) => sendMultipart(spec, upload),
      probe: {
        harmless: false,
        reason:
          'Not tested: the first request starts a multipart upload at the vendor, which a test would leave open. Deliver a small file to check this target.',
      },
    };
  },
};
