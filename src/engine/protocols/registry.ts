import type { ProfileName } from '../../shared/config.js';
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
