import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ByteMeter } from './byte-meter.js';
import { startAnalyticsImport } from './analytics-import.js';
import { OBJECT_PATH_PREFIX } from './presigner.js';
import { parseRawQuery, verifyPresigned } from './presigned-request.js';
import { sendS3Error, type S3Failure } from './s3-error.js';
import type { SandboxContext } from './sandbox-context.js';
import { STORE_CREDENTIALS } from './object-store.js';

/** S3's limit for a single PUT, which is also the vendors' documented maximum file size. */
const MAX_OBJECT_SIZE = 5 * 1024 ** 3;
const MAX_PART_NUMBER = 10_000;
/** Where an overwriting PUT lands until it is complete. */
const STAGING_PREFIX = '.staging/';

interface ObjectAddress {
  readonly bucket: string;
  readonly key: string;
  readonly query: ReadonlyMap<string, string>;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function fail(res: ServerResponse, failure: S3Failure): void {
  // The body of a refused upload is not wanted: close instead of draining gigabytes.
  res.setHeader('Connection', 'close');
  sendS3Error(res, failure);
}

/**
 * Serves `/s3/<bucket>/<key>?X-Amz-...`: every request must carry a valid SigV4 query
 * signature (checked here, since s3rver checks none); a PUT streams into s3rver.
 */
export async function handleObjectRequest(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = req.url ?? '/';
  const at = url.indexOf('?');
  const rawPath = at === -1 ? url : url.slice(0, at);
  const pairs = parseRawQuery(at === -1 ? '' : url.slice(at + 1));
  if (!pairs.some(([name]) => name.startsWith('X-Amz-'))) {
    fail(res, { status: 403, code: 'AccessDenied', message: 'Access Denied' });
    return;
  }
  const verdict = await verifyPresigned(
    { method: req.method ?? 'GET', rawPath, query: pairs, headers: req.headers },
    STORE_CREDENTIALS,
    new Date(),
  );
  if (!verdict.ok) {
    fail(res, verdict.failure);
    return;
  }
  const [bucketSegment = '', ...keySegments] = rawPath.slice(OBJECT_PATH_PREFIX.length + 1).split('/');
  const address: ObjectAddress = {
    bucket: decodeSegment(bucketSegment),
    key: keySegments.map(decodeSegment).join('/'),
    query: new Map(pairs),
  };
  if (address.bucket !== ctx.objects.bucket) {
    fail(res, { status: 404, code: 'NoSuchBucket', message: 'The specified bucket does not exist' });
    return;
  }
  switch (req.method) {
    case 'PUT':
      await putObject(ctx, req, res, address);
      return;
    case 'GET':
      await getObject(ctx, res, address.key);
      return;
    case undefined:
    default:
      fail(res, {
        status: 405,
        code: 'MethodNotAllowed',
        message: 'The specified method is not allowed against this resource.',
      });
  }
}

async function getObject(ctx: SandboxContext, res: ServerResponse, key: string): Promise<void> {
  const body = await ctx.objects.get(key);
  if (body === undefined) {
    sendS3Error(res, { status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.' });
    return;
  }
  res.writeHead(200, {
    'Content-Type': body.headers['content-type'] ?? 'application/octet-stream',
    ...(body.headers['content-length'] === undefined
      ? {}
      : { 'Content-Length': body.headers['content-length'] }),
    ...(body.headers.etag === undefined ? {} : { ETag: body.headers.etag }),
  });
  body.pipe(res);
}

type PutTarget =
  | { readonly kind: 'object' }
  | { readonly kind: 'part'; readonly uploadId: string; readonly partNumber: number };

function putTarget(ctx: SandboxContext, address: ObjectAddress): PutTarget | S3Failure {
  const uploadId = address.query.get('uploadId');
  const partNumberText = address.query.get('partNumber');
  if (uploadId === undefined && partNumberText === undefined) return { kind: 'object' };
  const partNumber = Number(partNumberText);
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    return {
      status: 400,
      code: 'InvalidArgument',
      message: `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`,
    };
  }
  const upload = ctx.state.state.multipart.find((u) => u.uploadId === uploadId && u.key === address.key);
  if (upload === undefined || uploadId === undefined) {
    return {
      status: 404,
      code: 'NoSuchUpload',
      message:
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    };
  }
  return { kind: 'part', uploadId, partNumber };
}

async function putObject(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  address: ObjectAddress,
): Promise<void> {
  const lengthHeader = req.headers['content-length'];
  if (lengthHeader === undefined || !/^\d+$/.test(lengthHeader)) {
    fail(res, {
      status: 411,
      code: 'MissingContentLength',
      message: 'You must provide the Content-Length HTTP header.',
    });
    return;
  }
  const length = Number(lengthHeader);
  if (length > MAX_OBJECT_SIZE) {
    fail(res, {
      status: 400,
      code: 'EntityTooLarge',
      message: 'Your proposed upload exceeds the maximum allowed size',
    });
    return;
  }
  const target = putTarget(ctx, address);
  if ('code' in target) {
    fail(res, target);
    return;
  }
  if (target.kind === 'part') forgetPart(ctx, target.uploadId, target.partNumber);
  // Only now, with the request accepted, ask a `Expect: 100-continue` client for the body.
  if (req.headers.expect?.toLowerCase() === '100-continue') res.writeContinue();

  // s3rver writes straight into the object's file. A PUT over an existing object is staged
  // under another key, so that, as in S3, a failed overwrite leaves the old object intact.
  const storeKey =
    target.kind === 'object' && (await ctx.objects.exists(address.key))
      ? `${STAGING_PREFIX}${randomUUID()}`
      : address.key;
  const meter = new ByteMeter();
  let stored: { readonly status: number; readonly etag: string | undefined };
  try {
    stored = await ctx.objects.put(storeKey, req, meter, length, target.kind === 'part' ? target : undefined);
  } catch {
    // The client broke off: S3 keeps nothing of an incomplete PUT, so neither do we.
    await discard(ctx, target, storeKey);
    res.destroy();
    return;
  }
  const { sha256, md5 } = meter.digests();
  if (meter.bytes !== length) {
    await discard(ctx, target, storeKey);
    fail(res, {
      status: 400,
      code: 'IncompleteBody',
      message: 'You did not provide the number of bytes specified by the Content-Length HTTP header',
    });
    return;
  }
  if (stored.status !== 200 || stored.etag !== md5) {
    ctx.log(
      `the object store answered ${stored.status} (etag ${stored.etag ?? 'none'}) to a PUT of ${address.key}`,
    );
    await discard(ctx, target, storeKey);
    fail(res, {
      status: 500,
      code: 'InternalError',
      message: 'We encountered an internal error. Please try again.',
    });
    return;
  }
  if (target.kind === 'part') {
    const upload = ctx.state.state.multipart.find((u) => u.uploadId === target.uploadId);
    upload?.parts.push({ partNumber: target.partNumber, etag: md5, size: meter.bytes });
  } else {
    if (storeKey !== address.key) {
      await ctx.objects.copy(storeKey, address.key);
      await ctx.objects.delete(storeKey);
    }
    recordObject(ctx, address.key, meter.bytes, sha256);
  }
  await ctx.state.save();
  if (ctx.answerDelayMs > 0) await sleep(ctx.answerDelayMs);
  res.writeHead(200, { ETag: `"${md5}"`, 'Content-Length': 0 });
  res.end();
}

/** Drops the partial object a failed PUT left (a failed part was forgotten up front). */
async function discard(ctx: SandboxContext, target: PutTarget, storeKey: string): Promise<void> {
  if (target.kind === 'object') await ctx.objects.delete(storeKey);
}

function forgetPart(ctx: SandboxContext, uploadId: string, partNumber: number): void {
  const upload = ctx.state.state.multipart.find((u) => u.uploadId === uploadId);
  if (upload !== undefined) upload.parts = upload.parts.filter((p) => p.partNumber !== partNumber);
}

function recordObject(ctx: SandboxContext, key: string, size: number, sha256: string): void {
  const target = ctx.state.state.targets.find((t) => t.key === key);
  ctx.state.recordDelivery({
    key,
    filename: target?.filename ?? key.slice(key.lastIndexOf('/') + 1),
    size,
    sha256,
    api: target?.api ?? 's3',
    receivedAt: new Date().toISOString(),
  });
  if (target?.api === 'analytics') startAnalyticsImport(ctx, target.id);
}
