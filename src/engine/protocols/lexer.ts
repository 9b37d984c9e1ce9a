import { isJsonObject, type JsonValue } from '../../shared/json-value.js';
import { presignedProfile } from './presigned-put.js';
import { FILENAME_BODY } from './token-request.js';

/**
 * Lexer's File Upload API: POST `{"filename"}` with `Auth-Api-Token`, PUT the file to the URL
 * in the answer. A folder's fields join the body as they are named: Lexer loads NDJSON
 * automatically only when the dataset id and record type ride along.
 */
export const lexer = presignedProfile({
  body: (_name, target, fields) => {
    const base: JsonValue = target.request?.body ?? FILENAME_BODY;
    return isJsonObject(base) ? { ...base, ...fields } : base;
  },
});
