import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkFilename } from './filename-check.js';
import { readJsonObject, sendApiError, sendJson } from './json-http.js';
import type { MultipartUpload, PartRecord } from './sandbox-state.js';
import type { SandboxContext } from './sandbox-context.js';

const MAX_PART_NUMBER = 10_000;

function findUpload(ctx: SandboxContext, res: ServerResponse, uploadId: string): MultipartUpload | undefined {
  const upload = ctx.state.state.multipart.find((u) => u.uploadId === uploadId);
  if (upload === undefined)
    sendApiError(res, 404, `no multipart upload ${uploadId}`, { code: 'NoSuchUpload' });
  return upload;
}

function sortedParts(upload: MultipartUpload): readonly PartRecord[] {
  return [...upload.parts].sort((a, b) => a.partNumber - b.partNumber);
}

/** `POST /v1/multipart` `{"filename"}` → `{"uploadId", "key", "id"}`. */
export async function createMultipart(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readJsonObject(req);
  if (!body.ok) {
    sendApiError(res, body.status, body.message);
    return;
  }
  const verdict = checkFilename(body.value.filename);
  if (!verdict.ok) {
    sendApiError(res, 400, verdict.message, verdict.details);
    return;
  }
  const id = ctx.state.nextId();
  const key = `multipart/${id}/${verdict.filename}`;
  const uploadId = await ctx.objects.createMultipart(key);
  ctx.state.state.multipart.push({
    uploadId,
    id,
    key,
    filename: verdict.filename,
    createdAt: new Date().toISOString(),
    parts: [],
  });
  await ctx.state.save();
  sendJson(res, 200, { uploadId, key, id });
}

/** `POST /v1/multipart/{uploadId}/parts/{n}` → `{"url"}`: a presigned UploadPart URL. */
export async function presignPart(
  ctx: SandboxContext,
  res: ServerResponse,
  uploadId: string,
  partNumberText: string,
): Promise<void> {
  const upload = findUpload(ctx, res, uploadId);
  if (upload === undefined) return;
  const partNumber = Number(partNumberText);
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    sendApiError(res, 400, `part number must be an integer from 1 to ${MAX_PART_NUMBER}`);
    return;
  }
  sendJson(res, 200, { partNumber, url: await ctx.presigner.part(upload.key, uploadId, partNumber) });
}

/** `GET /v1/multipart/{uploadId}/parts`: answered from the sandbox's records (s3rver has no ListParts). */
export function listParts(ctx: SandboxContext, res: ServerResponse, uploadId: string): void {
  const upload = findUpload(ctx, res, uploadId);
  if (upload === undefined) return;
  sendJson(res, 200, { uploadId, key: upload.key, parts: sortedParts(upload) });
}

type CompletionCheck =
  | { readonly ok: true; readonly parts: readonly PartRecord[] }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** S3's CompleteMultipartUpload rules, applied to the client's list against what arrived. */
function checkCompletion(upload: MultipartUpload, listed: unknown, minPartSize: number): CompletionCheck {
  if (!Array.isArray(listed) || listed.length === 0) {
    return {
      ok: false,
      code: 'MalformedXML',
      message: 'parts must be a non-empty array of {partNumber, etag}',
    };
  }
  const chosen: PartRecord[] = [];
  for (const entry of listed as unknown[]) {
    const { partNumber, etag } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<
      string,
      unknown
    >;
    if (typeof partNumber !== 'number' || typeof etag !== 'string') {
      return {
        ok: false,
        code: 'MalformedXML',
        message: 'every part needs a numeric partNumber and a string etag',
      };
    }
    const previous = chosen.at(-1);
    if (previous !== undefined && partNumber <= previous.partNumber) {
      return { ok: false, code: 'InvalidPartOrder', message: 'the list of parts was not in ascending order' };
    }
    const part = upload.parts.find((p) => p.partNumber === partNumber);
    if (part?.etag !== etag.replace(/"/g, '')) {
      return {
        ok: false,
        code: 'InvalidPart',
        message: `part ${partNumber} was not uploaded or its etag does not match`,
      };
    }
    chosen.push(part);
  }
  const small = chosen.slice(0, -1).find((p) => p.size < minPartSize);
  if (small !== undefined) {
    return {
      ok: false,
      code: 'EntityTooSmall',
      message: `part ${small.partNumber} is ${small.size} bytes; every part but the last must be at least ${minPartSize}`,
    };
  }
  return { ok: true, parts: chosen };
}

/**
 * Hashes the assembled object by reading it back. s3rver can answer a completion a moment
 * before its last write lands, so a short read is retried before it is believed.
 */
async function hashStored(
  ctx: SandboxContext,
  key: string,
  expectedSize: number,
): Promise<{ size: number; sha256: string }> {
  let last = { size: -1, sha256: '' };
  for (let attempt = 0; attempt < 20; attempt++) {
    const body = await ctx.objects.get(key);
    if (body !== undefined) {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of body as AsyncIterable<Buffer>) {
        hash.update(chunk);
        size += chunk.length;
      }
      last = { size, sha256: hash.digest('hex') };
      if (size === expectedSize) return last;
    }
    await sleep(50);
  }
  throw new Error(`the assembled object ${key} has ${last.size} bytes, expected ${expectedSize}`);
}

/** `POST /v1/multipart/{uploadId}/complete` `{"parts": [{partNumber, etag}]}` → `{"id", "key"}`. */
export async function completeMultipart(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  uploadId: string,
): Promise<void> {
  const body = await readJsonObject(req);
  if (!body.ok) {
    sendApiError(res, body.status, body.message);
    return;
  }
  const upload = findUpload(ctx, res, uploadId);
  if (upload === undefined) return;
  const check = checkCompletion(upload, body.value.parts, ctx.minPartSize);
  if (!check.ok) {
    sendApiError(res, 400, check.message, { code: check.code });
    return;
  }
  await ctx.objects.completeMultipart(upload.key, uploadId, check.parts);
  const { size, sha256 } = await hashStored(
    ctx,
    upload.key,
    check.parts.reduce((sum, p) => sum + p.size, 0),
  );
  ctx.state.state.multipart = ctx.state.state.multipart.filter((u) => u.uploadId !== uploadId);
  ctx.state.recordDelivery({
    key: upload.key,
    filename: upload.filename,
    size,
    sha256,
    api: 'multipart',
    receivedAt: new Date().toISOString(),
  });
  await ctx.state.save();
  sendJson(res, 200, { id: upload.id, key: upload.key, size, sha256 });
}

/** `DELETE /v1/multipart/{uploadId}`: drops the upload and every part sent so far. */
export async function abortMultipart(
  ctx: SandboxContext,
  res: ServerResponse,
  uploadId: string,
): Promise<void> {
  const upload = findUpload(ctx, res, uploadId);
  if (upload === undefined) return;
  ctx.state.state.multipart = ctx.state.state.multipart.filter((u) => u.uploadId !== uploadId);
  await ctx.objects.abortMultipart(uploadId);
  await ctx.state.save();
  res.writeHead(204);
  res.end();
}
