import type { ProfileName } from '../../shared/config.js';
import type { JsonValue } from '../../shared/json-value.js';
import { analytics } from './analytics.js';
import { form } from './form.js';
import { lexer } from './lexer.js';
import { presignedPut } from './presigned-put.js';
import type { Protocol } from './protocol.js';
import { s3Multipart } from './s3-multipart.js';

/** A protocol for every profile name: a name without one does not compile. */
export type ProtocolRegistry<Name extends string = ProfileName> = Readonly<Record<Name, Protocol>>;

export const PROTOCOLS: ProtocolRegistry = {
  lexer,
  analytics,
  form,
  'presigned-put': presignedPut,
  's3-multipart': s3Multipart,
};

/** The body template a target sends: its own, or the one its profile's vendor documents. */
export function bodyTemplate(target: {
  readonly profile: ProfileName;
  readonly request?: { readonly body: JsonValue };
}): JsonValue | undefined {
  return target.request?.body ?? PROTOCOLS[target.profile].config.defaultBody;
}
