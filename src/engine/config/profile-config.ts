import { SINGLE_PUT_LIMIT, type AuthStyle, type ProfileName } from '../../shared/config.js';
import type { JsonObject, JsonValue } from '../../shared/json-value.js';

/**
 * What a profile asks of a target's config: the facts the validator checks a
 * target against, and the defaults it fills in. One entry per profile, so a
 * new profile without one does not compile. Kept a plain table: the entries
 * are meant to move into the profiles' protocol modules.
 */
export interface ProfileConfigFacts {
  /** The auth style used when a target names none. */
  readonly defaultAuth: AuthStyle;
  /** The request body the vendor documents, sent when a target sets none. */
  readonly defaultBody?: JsonObject;
  /** No vendor documents the first request or its answer, so a target must give `request` and `response`. */
  readonly needsTemplates: boolean;
  /** The largest file one delivery can carry, when `maxBytes` may not exceed it: S3's single PUT. */
  readonly largestFile?: number;
}

const FILENAME_BODY: JsonObject = { filename: '{filename}' };

export const PROFILE_CONFIG: Readonly<Record<ProfileName, ProfileConfigFacts>> = {
  lexer: {
    defaultAuth: 'auth-api-token',
    defaultBody: FILENAME_BODY,
    needsTemplates: false,
    largestFile: SINGLE_PUT_LIMIT,
  },
  analytics: {
    defaultAuth: 'auth-api-token',
    defaultBody: { datasetType: '{datasetType}', file: { name: '{filename}', type: '{type}' } },
    needsTemplates: false,
    largestFile: SINGLE_PUT_LIMIT,
  },
  // The form API is the Bearer one; its one request carries the file, so it has no body template.
  form: { defaultAuth: 'bearer', needsTemplates: false },
  // Parts make the limit: target-spec holds a multipart file to MULTIPART_LIMIT.
  's3-multipart': { defaultAuth: 'auth-api-token', defaultBody: FILENAME_BODY, needsTemplates: false },
  'presigned-put': { defaultAuth: 'auth-api-token', needsTemplates: true, largestFile: SINGLE_PUT_LIMIT },
};

/** The body template a target sends: its own, or its profile's documented one. */
export function bodyTemplate(target: {
  readonly profile: ProfileName;
  readonly request?: { readonly body: JsonValue };
}): JsonValue | undefined {
  return target.request?.body ?? PROFILE_CONFIG[target.profile].defaultBody;
}
