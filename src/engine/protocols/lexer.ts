import { SINGLE_PUT_LIMIT } from '../../shared/config.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../shared/json-value.js';
import { presignedProfile } from './presigned-put.js';

/** The body Lexer's File Upload API documents. */
const LEXER_BODY: JsonObject = { filename: '{filename}' };

/**
 * Lexer's File Upload API: POST `{"filename"}` with `Auth-Api-Token`, PUT the file to the URL
 * in the answer. A folder's fields join the body as they are named: Lexer loads NDJSON
 * automatically only when the dataset id and record type ride along.
 */
export const lexer = presignedProfile({
  config: {
    defaultAuth: 'auth-api-token',
    defaultBody: LEXER_BODY,
    needsTemplates: false,
    largestFile: SINGLE_PUT_LIMIT,
    // Seed 002: "To enable automatic loading it is critical to include the dataset ID and record
    // type in the file upload request" (NDJSON or JSON; a CSV waits for Lexer's team either way).
    autoLoad: { fields: ['dataset_id', 'record_type'], extensions: ['ndjson', 'json'] },
  },
  body: (_name, target, fields) => {
    const base: JsonValue = target.request?.body ?? LEXER_BODY;
    return isJsonObject(base) ? { ...base, ...fields } : base;
  },
});
