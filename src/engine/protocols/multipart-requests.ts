import type { AuthStyle } from '../../shared/config.js';
import type { JsonValue } from '../../shared/json-value.js';
import type { HttpResponse, UploadedPart } from '../ports.js';
import { isPrintable } from '../../shared/vendor-text.js';
import { answerJson, answeredUrlProblem, badAnswer, vendorId } from '../vendor-answer.js';

/**
 * The S3-multipart family: create an upload, presign each part, PUT the parts, list what
 * arrived, complete. Every call but the part PUTs goes to `endpoint` with the token.
 */
export interface MultipartSpec {
  /** `POST` here creates an upload; `{endpoint}/{uploadId}/...` addresses it afterwards. */
  readonly endpoint: string;
  readonly auth: AuthStyle;
  /** The body template of the create request. */
  readonly body: JsonValue;
}

export interface CreatedUpload {
  readonly uploadId: string;
  readonly remoteId: string;
}

function base(spec: MultipartSpec): string {
  return spec.endpoint.replace(/\/+$/, '');
}

export function uploadUrl(spec: MultipartSpec, uploadId: string): string {
  return `${base(spec)}/${encodeURIComponent(uploadId)}`;
}

export function partUrlRequestUrl(spec: MultipartSpec, uploadId: string, partNumber: number): string {
  return `${uploadUrl(spec, uploadId)}/parts/${partNumber}`;
}

export function listPartsUrl(spec: MultipartSpec, uploadId: string): string {
  return `${uploadUrl(spec, uploadId)}/parts`;
}

export function completeUrl(spec: MultipartSpec, uploadId: string): string {
  return `${uploadUrl(spec, uploadId)}/complete`;
}

function parseObject(response: HttpResponse, request: string): Record<string, unknown> {
  const parsed = answerJson(response, request);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badAnswer(response, request, 'JSON that is not an object');
  }
  return parsed as Record<string, unknown>;
}

/** `{uploadId, id}` from the create answer. */
export function readCreated(response: HttpResponse): CreatedUpload {
  const answer = parseObject(response, 'create-upload');
  const { uploadId } = answer;
  if (typeof uploadId !== 'string' || uploadId === '' || !isPrintable(uploadId))
    throw badAnswer(response, 'create-upload', 'no usable uploadId');
  const id = vendorId(answer.id);
  if (id === undefined) throw badAnswer(response, 'create-upload', 'no usable id');
  return { uploadId, remoteId: id };
}

/**
 * The presigned URL of one part: a credential, never logged. It passes the policy a single PUT's
 * URL does (https, or loopback http; no credentials): a part is as much of the file.
 */
export function readPartUrl(response: HttpResponse): string {
  const { url } = parseObject(response, 'part-URL');
  if (typeof url !== 'string' || url === '') throw badAnswer(response, 'part-URL', 'no usable url');
  const problem = answeredUrlProblem(response, url);
  if (problem !== undefined) throw badAnswer(response, 'part-URL', `an unusable part URL (${problem})`);
  return url;
}

function isPart(value: unknown): value is UploadedPart {
  if (typeof value !== 'object' || value === null) return false;
  const { partNumber, etag, size } = value as Record<string, unknown>;
  return (
    typeof partNumber === 'number' &&
    Number.isInteger(partNumber) &&
    typeof etag === 'string' &&
    typeof size === 'number'
  );
}

/** The parts the server holds: the truth a resume starts from. */
export function readParts(response: HttpResponse): UploadedPart[] {
  const { parts } = parseObject(response, 'list-parts');
  if (!Array.isArray(parts) || !parts.every(isPart)) {
    throw badAnswer(response, 'list-parts', 'no list of {partNumber, etag, size}');
  }
  return parts.map(({ partNumber, etag, size }) => ({ partNumber, etag, size }));
}

/** A part PUT's ETag names the part in the completion; without it the part cannot be used. */
export function readEtag(response: HttpResponse): string {
  const etag = response.headers.etag?.replace(/"/g, '');
  if (etag === undefined || etag === '') throw badAnswer(response, 'part upload', 'no ETag');
  return etag;
}

export function completeBody(parts: readonly UploadedPart[]): string {
  const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
  return JSON.stringify({ parts: sorted.map(({ partNumber, etag }) => ({ partNumber, etag })) });
}
