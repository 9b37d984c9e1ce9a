import { isJsonObject, type JsonObject, type JsonValue } from '../../shared/json-value.js';

/**
 * A config file's JSON with `fields` added to every folder's own, before it is validated: the
 * fields given on the command line (`--field`) fill the templates a folder of the file could
 * not, and win over the file's for this one run. Anything that is not a folder is left for the
 * validator to name.
 */
export function withFolderFields(file: JsonObject, fields: Readonly<Record<string, string>>): JsonObject {
  if (Object.keys(fields).length === 0 || !Array.isArray(file.folders)) return file;
  const folders = (file.folders as readonly JsonValue[]).map((folder) =>
    isJsonObject(folder)
      ? { ...folder, fields: { ...(isJsonObject(folder.fields) ? folder.fields : {}), ...fields } }
      : folder,
  );
  return { ...file, folders };
}
