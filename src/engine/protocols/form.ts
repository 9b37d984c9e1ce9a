import { SINGLE_PUT_LIMIT, type AuthStyle } from '../../shared/config.js';
import { readDotPath } from '../../shared/dot-path.js';
import { isJsonObject, type JsonValue } from '../../shared/json-value.js';
import { DeliveryError } from '../delivery-error.js';
import type { HttpResponse, StreamBody } from '../ports.js';
import { readProcessingStatus, type ProcessingStatus } from '../processing-status.js';
import { answerJson, badAnswer, ensureOk, vendorId } from '../vendor-answer.js';
import type { Protocol, RemoteFile, Upload } from './protocol.js';
import { authHeaders, renderBody, statusRequest } from './token-request.js';
import { continueFor, sendFile } from './vendor-requests.js';

/**
 * The Bearer file API: one multipart-form POST carries the file and its fields
 * (`file_description`, `file_size_limit`, `enforce_schema`…) and is answered with a
 * background task id, followed until the task succeeds or fails.
 */
export interface FormSpec {
  readonly endpoint: string;
  readonly auth: AuthStyle;
  /** Text fields of the form, as a template object: every value is sent as a string. */
  readonly fields: JsonValue;
  /** Dot-path of the task id in the answer. */
  readonly idPath: string;
}

export interface FormUpload {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: StreamBody;
  /** Bytes of form that precede the file's own: progress is reported in file bytes. */
  readonly fileOffset: number;
}

const encoder = new TextEncoder();

/** Quotes and line breaks cannot appear inside a Content-Disposition parameter. */
function dispositionValue(text: string): string {
  return text.replace(/[\r\n]/g, ' ').replace(/"/g, '%22');
}

function fieldText(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function renderFields(spec: FormSpec, variables: Readonly<Record<string, string>>): [string, string][] {
  const rendered = renderBody(spec.fields, variables);
  if (!isJsonObject(rendered)) throw new DeliveryError('config', 'the form fields must be a JSON object');
  return Object.entries(rendered).map(([name, value]) => [name, fieldText(value)]);
}

async function* formStream(
  head: Uint8Array,
  file: AsyncIterable<Uint8Array>,
  tail: Uint8Array,
): AsyncGenerator<Uint8Array> {
  yield head;
  yield* file;
  yield tail;
}

/**
 * The multipart POST for one file. Its length is known in advance (fields + file + closing
 * boundary), so it goes out with Content-Length and the file is still streamed, not buffered.
 */
export function formUpload(
  spec: FormSpec,
  variables: Readonly<Record<string, string>>,
  token: string,
  file: { readonly name: string; readonly size: number; readonly stream: AsyncIterable<Uint8Array> },
  boundary: string,
): FormUpload {
  const parts = renderFields(spec, variables).map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${dispositionValue(name)}"\r\n\r\n${value}\r\n`,
  );
  const head = encoder.encode(
    `${parts.join('')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${dispositionValue(file.name)}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const length = head.byteLength + file.size + tail.byteLength;
  return {
    url: spec.endpoint,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(length),
      accept: 'application/json',
      ...continueFor(length),
      ...authHeaders(spec.auth, token),
    },
    body: { stream: formStream(head, file.stream, tail), length },
    fileOffset: head.byteLength,
  };
}

/** A boundary no file line will hold by chance: 32 random hex digits from the injected source. */
export function formBoundary(random: () => number): string {
  let hex = '';
  for (let i = 0; i < 32; i += 1) hex += Math.floor(random() * 16).toString(16);
  return `----ferry-${hex}`;
}

/** The task id of a 2xx answer. */
export function readTaskId(spec: FormSpec, response: HttpResponse): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    parsed = undefined;
  }
  const id = vendorId(readDotPath(parsed, spec.idPath));
  if (id !== undefined) return id;
  throw new DeliveryError(
    'bad-answer',
    `the upload answered HTTP ${response.status} without a usable task id at '${spec.idPath}'`,
    { status: response.status },
  );
}

/**
 * A path of the API next to the `/api/v1/` endpoint the form is posted to (`/api/v1/file/new` or
 * `/api/v1/files` alike): `apiUrl(endpoint, 'files')` is `{prefix}/api/v1/files`.
 */
function apiUrl(endpoint: string, path: string): string {
  const url = new URL(endpoint);
  const at = url.pathname.indexOf('/api/v1/');
  const base = at === -1 ? url.pathname.replace(/[^/]*$/, '') : url.pathname.slice(0, at + '/api/v1/'.length);
  return new URL(`${base}${path}`, url.origin).toString();
}

/** Where a task is followed: `{prefix}/api/v1/tasks/{id}`. */
export function taskUrl(endpoint: string, taskId: string): string {
  return apiUrl(endpoint, `tasks/${encodeURIComponent(taskId)}`);
}

const text = (value: JsonValue | undefined) =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

/** `GET /api/v1/files` → `{"files_list": [{file_id, file_name, created_at, …}]}` (seed 003). */
export function readFileList(response: HttpResponse): RemoteFile[] {
  const parsed = answerJson(response, 'file-list');
  const list = isJsonObject(parsed) ? parsed.files_list : undefined;
  if (!Array.isArray(list)) throw badAnswer(response, 'file-list', "no 'files_list' array");
  return (list as readonly JsonValue[]).flatMap((entry) => {
    if (!isJsonObject(entry)) return [];
    const id = vendorId(entry.file_id);
    if (id === undefined) return [];
    const createdAt = text(entry.created_at);
    return [
      { id, name: text(entry.file_name) ?? '', ...(createdAt === undefined ? {} : { createdAt }), entry },
    ];
  });
}

/** Where a finished task names the file it made (`{"result": {"file_id": …}}`). */
const FILE_ID_PATH = 'result.file_id';

/**
 * A background task's status. Once it succeeds its result names the file it defined: that id,
 * not the task's, is what the vendor lists and downloads by, so it becomes the job's remote id.
 */
export function readTaskStatus(response: HttpResponse): ProcessingStatus {
  const status = readProcessingStatus(response);
  if (status.phase !== 'completed') return status;
  const fileId = vendorId(readDotPath(answerJson(response, 'status'), FILE_ID_PATH));
  return fileId === undefined ? status : { ...status, fileId };
}

/**
 * One attempt is one POST of the whole form; the job shows each wait. There is no URL to ask
 * for, so a job passes through `requesting-url` at once.
 */
async function sendForm(spec: FormSpec, upload: Upload): Promise<string> {
  const { size, variables, token } = upload;
  const name = variables.filename ?? upload.path;
  const answer = await upload.pacer.run(upload.jobPace, async (attempt) => {
    upload.started(size);
    const boundary = formBoundary(upload.ports.random);
    let offset = 0;
    const response = await sendFile(
      upload,
      attempt,
      (stream) => {
        const form = formUpload(spec, variables, token, { name, size, stream }, boundary);
        offset = form.fileOffset;
        return { method: 'POST', url: form.url, headers: form.headers, body: form.body };
      },
      {
        offset: () => offset,
        onSent: (sent) => {
          upload.progress(sent);
        },
      },
    );
    return ensureOk(response, 'upload');
  });
  // Read outside the retries: the vendor took the file, so an answer without an id is not a
  // reason to send it again.
  return readTaskId(spec, answer);
}

/** The form's text fields: the target's template (if any) with the folder's fields, as named. */
export const form: Protocol = {
  // The Bearer API; its one request carries the file, so there is no body template to default.
  // The vendor refuses a file over its file_size_limit only after taking all of it in: Ferry
  // measures the file first, so no byte is sent for nothing.
  config: { defaultAuth: 'bearer', needsTemplates: false, sizeLimitField: 'file_size_limit' },
  maxBytes: SINGLE_PUT_LIMIT,
  resumes: 'from-scratch',
  bind(_name, target, fields) {
    const base = target.request?.body ?? {};
    const spec: FormSpec = {
      endpoint: target.endpoint,
      auth: target.auth.style,
      fields: isJsonObject(base) ? { ...base, ...fields } : base,
      idPath: target.response?.id ?? 'task_id',
    };
    return {
      endpoint: spec.endpoint,
      send: (upload) => sendForm(spec, upload),
      statusRequest: (taskId, token) => statusRequest(taskUrl(spec.endpoint, taskId), spec.auth, token),
      readStatus: readTaskStatus,
      listing: {
        request: (token) => statusRequest(apiUrl(spec.endpoint, 'files'), spec.auth, token),
        read: readFileList,
      },
      probe: {
        harmless: false,
        reason:
          'Not tested: the form API takes the file itself in its only request, so there is no request without data. Deliver a small file to check this target.',
      },
    };
  },
};
