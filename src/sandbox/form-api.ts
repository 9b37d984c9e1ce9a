import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { ByteMeter } from './byte-meter.js';
import { checkImport, isImportType } from './import-check.js';
import { sendApiError, sendJson } from './json-http.js';
import type { FormFile, FormTask } from './sandbox-state.js';
import type { SandboxContext } from './sandbox-context.js';

const USER_NAME = 'sandbox:account';
const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off', '']);

interface ReceivedForm {
  readonly fields: ReadonlyMap<string, string>;
  readonly file?: {
    readonly name: string;
    readonly key: string;
    readonly size: number;
    readonly sha256: string;
  };
}

class FormError extends Error {
  override readonly name = 'FormError';
}

/** Streams the form's `file` part into the store while collecting the other fields. */
function receiveForm(ctx: SandboxContext, req: IncomingMessage, fileId: string): Promise<ReceivedForm> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 20 } });
    } catch (error) {
      reject(new FormError(`expected a multipart/form-data body: ${(error as Error).message}`));
      return;
    }
    const fields = new Map<string, string>();
    let stored: Promise<ReceivedForm['file']> = Promise.resolve(undefined);
    let startedKey: string | undefined;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      reject(new FormError(`malformed or incomplete multipart body: ${(error as Error).message}`));
      // Whatever part of the file reached the store is not a delivery.
      const key = startedKey;
      if (key !== undefined) void stored.catch(() => undefined).then(() => ctx.objects.delete(key));
    };
    parser.on('field', (name, value) => fields.set(name, value));
    parser.on('file', (name: string, stream: Readable, info: busboy.FileInfo) => {
      if (name !== 'file') {
        stream.resume();
        return;
      }
      const sent = info.filename ?? '';
      const fileName = sent === '' ? 'upload' : basename(sent);
      const key = `form/${fileId}/${fileName}`;
      startedKey = key;
      const meter = new ByteMeter();
      stored = ctx.objects.put(key, stream, meter, undefined).then((answer) => {
        if (answer.status !== 200) throw new Error(`the object store answered ${answer.status}`);
        return { name: fileName, key, size: meter.bytes, sha256: meter.digests().sha256 };
      });
      stored.catch(() => stream.resume());
    });
    parser.once('close', () => {
      stored.then((file) => {
        if (!failed) resolve(file === undefined ? { fields } : { fields, file });
      }, fail);
    });
    // pipeline, unlike pipe, hands a client's abort on to busboy and so to the file stream.
    pipeline(req, parser).catch(fail);
  });
}

function parseLimit(text: string | undefined): number | null | FormError {
  if (text === undefined || text === '') return null;
  return /^\d+$/.test(text) ? Number(text) : new FormError('file_size_limit must be a whole number of bytes');
}

function parseFlag(text: string | undefined): boolean | FormError {
  const word = (text ?? '').trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return new FormError('enforce_schema must be true or false');
}

/** The import type a schema check applies to, judged from the file name. */
function schemaType(name: string): string | undefined {
  const match = /\.(csv|json|ndjson)(\.gz)?$/.exec(name);
  return match?.[1];
}

/** The background task: size limit, then (if asked) the schema check; SUCCESS or FAILURE. */
function runTask(ctx: SandboxContext, task: FormTask): void {
  ctx.background.later(
    ctx.processingDelayMs,
    async () => {
      task.status = 'STARTED';
      const type = schemaType(task.file.file_name);
      if (task.enforce_schema && isImportType(type)) {
        const body = await ctx.objects.get(task.file.key);
        const outcome =
          body === undefined
            ? { ok: false as const, error: 'the uploaded object is missing' }
            : await checkImport(body, type, task.file.file_name.endsWith('.gz'));
        if (!outcome.ok) {
          task.status = 'FAILURE';
          task.error = `schema check failed: ${outcome.error}`;
          await ctx.state.save();
          return;
        }
      }
      task.status = 'SUCCESS';
      await ctx.state.save();
    },
    (error) => {
      task.status = 'FAILURE';
      task.error = (error as Error).message;
    },
  );
}

/** `POST /api/v1/file/new` (multipart form: file, file_description, file_size_limit, enforce_schema) → `{task_id}`. */
export async function createFormFile(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const fileId = randomUUID();
  let form: ReceivedForm;
  try {
    form = await receiveForm(ctx, req, fileId);
  } catch (error) {
    if (error instanceof FormError) {
      sendApiError(res, 400, error.message);
      return;
    }
    throw error;
  }
  const limit = parseLimit(form.fields.get('file_size_limit'));
  const enforce = parseFlag(form.fields.get('enforce_schema'));
  const received = form.file;
  if (received === undefined || limit instanceof FormError || enforce instanceof FormError) {
    if (received !== undefined) await ctx.objects.delete(received.key);
    const problem = limit instanceof FormError ? limit : enforce instanceof FormError ? enforce : undefined;
    sendApiError(res, 400, problem?.message ?? 'the form has no "file" field');
    return;
  }
  const file: FormFile = {
    file_id: fileId,
    file_name: received.name,
    file_description: form.fields.get('file_description') ?? '',
    key: received.key,
    size: received.size,
    created_at: new Date().toISOString(),
  };
  const task: FormTask = {
    task_id: randomUUID(),
    file,
    file_size_limit: limit,
    enforce_schema: enforce,
    status: 'PENDING',
  };
  ctx.state.state.tasks.push(task);
  if (limit !== null && file.size > limit) {
    // Over the limit: the bytes are refused, so nothing of them stays in the bucket.
    await ctx.objects.delete(file.key);
    task.status = 'FAILURE';
    task.error = `the file has ${file.size} bytes, over its file_size_limit of ${limit}`;
  } else {
    ctx.state.recordDelivery({
      key: file.key,
      filename: file.file_name,
      size: file.size,
      sha256: received.sha256,
      api: 'form',
      receivedAt: file.created_at,
    });
    runTask(ctx, task);
  }
  await ctx.state.save();
  sendJson(res, 200, { task_id: task.task_id });
}

/** `GET /api/v1/tasks/{task_id}`: the background task's state and, once done, its file. */
export function getFormTask(ctx: SandboxContext, res: ServerResponse, taskId: string): void {
  const task = ctx.state.state.tasks.find((t) => t.task_id === taskId);
  if (task === undefined) {
    sendApiError(res, 404, `no task ${taskId}`);
    return;
  }
  sendJson(res, 200, {
    task_id: task.task_id,
    status: task.status,
    result:
      task.status === 'SUCCESS'
        ? { file_id: task.file.file_id, file_name: task.file.file_name, size: task.file.size }
        : null,
    ...(task.error === undefined ? {} : { error: task.error }),
  });
}

function completedFiles(ctx: SandboxContext): readonly FormFile[] {
  return ctx.state.state.tasks.filter((t) => t.status === 'SUCCESS').map((t) => t.file);
}

/** `GET /api/v1/files` → `{"files_list": [...]}` in the seed's shape. */
export function listFormFiles(ctx: SandboxContext, res: ServerResponse): void {
  sendJson(res, 200, {
    files_list: completedFiles(ctx).map((f) => ({
      created_at: f.created_at,
      entitlement: 'rw',
      file_description: f.file_description,
      file_id: f.file_id,
      file_name: f.file_name,
      user_name: USER_NAME,
    })),
  });
}

/** `GET /api/v1/file/download/{file_id}`: the file's bytes, streamed from the store. */
export async function downloadFormFile(
  ctx: SandboxContext,
  res: ServerResponse,
  fileId: string,
): Promise<void> {
  const file = completedFiles(ctx).find((f) => f.file_id === fileId);
  const body = file === undefined ? undefined : await ctx.objects.get(file.key);
  if (file === undefined || body === undefined) {
    sendApiError(res, 404, `no file ${fileId}`);
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': file.size,
    'Content-Disposition': `attachment; filename="${file.file_name.replace(/["\\]/g, '_')}"`,
  });
  body.pipe(res);
}
