import { endpointProblem } from '../shared/config.js';
import { redactLiterals } from '../shared/redact.js';
import { excerpt, isPrintable } from '../shared/vendor-text.js';
import { DeliveryError, type DeliveryErrorKind } from './delivery-error.js';
import type { HttpResponse } from './ports.js';

/** Which request answered: the messages say so, because the two fail for different reasons. */
export type RequestPhase = 'url-request' | 'upload' | 'status' | 'file-list';

const PHASE_LABEL: Record<RequestPhase, string> = {
  'url-request': 'the upload-URL request',
  upload: 'the upload',
  status: 'the status request',
  'file-list': 'the file-list request',
};

/** What an S3-style XML error body says. */
export interface S3Error {
  readonly code: string;
  readonly message: string;
}

const MAX_MESSAGE = 300;

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function xmlElement(body: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(body);
  return match?.[1] === undefined ? undefined : decodeXml(match[1]).trim();
}

export function parseS3Error(body: string): S3Error | undefined {
  if (!body.includes('<Error>')) return undefined;
  const code = xmlElement(body, 'Code');
  if (code === undefined) return undefined;
  return { code, message: xmlElement(body, 'Message') ?? '' };
}

function looksLikeHtml(body: string): boolean {
  return /^\s*(?:<!doctype html|<html)/i.test(body);
}

function firstString(...candidates: unknown[]): string | undefined {
  return candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '');
}

function jsonMessage(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  const error = record.error;
  const errors = Array.isArray(record.errors) ? (record.errors as unknown[]) : [];
  const firstError = errors[0];
  return firstString(
    record.message,
    record.error_description,
    record.detail,
    typeof error === 'object' && error !== null ? (error as Record<string, unknown>).message : error,
    firstError,
    typeof firstError === 'object' && firstError !== null
      ? (firstError as Record<string, unknown>).message
      : undefined,
  );
}

/**
 * The vendor's own words from an error body: S3 XML `Code: Message`, a JSON `message`,
 * an HTML page's title (never the page), or the start of plain text; each without `secrets`
 * (the request's token), printable and cut to length (see `excerpt`).
 */
export function vendorMessage(body: string, secrets: readonly string[] = []): string | undefined {
  const shorten = (text: string) => excerpt(text, MAX_MESSAGE, secrets);
  const s3 = parseS3Error(body);
  if (s3 !== undefined)
    return s3.message === '' ? shorten(s3.code) : `${shorten(s3.code)}: ${shorten(s3.message)}`;
  if (looksLikeHtml(body)) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1];
    return title === undefined || title.trim() === ''
      ? 'an HTML page'
      : `an HTML page titled '${shorten(title)}'`;
  }
  const fromJson = jsonMessage(body);
  if (fromJson !== undefined) return shorten(fromJson);
  return body.trim() === '' ? undefined : shorten(body);
}

function isExpiredUrl(status: number, s3: S3Error | undefined, body: string): boolean {
  if (status !== 403 && status !== 400) return false;
  if (s3?.code === 'ExpiredToken') return true;
  return /request has expired/i.test(s3?.message ?? body);
}

function kindOf(status: number, s3: S3Error | undefined, body: string): DeliveryErrorKind {
  if (status === 401) return 'token-rejected';
  if (status === 429 || s3?.code === 'SlowDown') return 'rate-limited';
  if (isExpiredUrl(status, s3, body)) return 'url-expired';
  if (status === 408 || status === 425 || s3?.code === 'RequestTimeout' || status >= 500) return 'server';
  return 'vendor-rejected';
}

/** Whether the vendor took the request: any 2xx. */
export function isOk(response: HttpResponse): boolean {
  return response.status >= 200 && response.status <= 299;
}

/** The answer when it is a 2xx; otherwise the DeliveryError that says what the vendor said. */
export function ensureOk(response: HttpResponse, phase: RequestPhase): HttpResponse {
  if (!isOk(response)) throw errorFromResponse(response, phase);
  return response;
}

/** The DeliveryError for a non-2xx answer. */
export function errorFromResponse(response: HttpResponse, phase: RequestPhase): DeliveryError {
  const { status, body } = response;
  const s3 = parseS3Error(body);
  const kind = kindOf(status, s3, body);
  const said = vendorMessage(body, response.credentials);
  const label = kind === 'token-rejected' ? 'token rejected: ' : '';
  const message = `${label}${PHASE_LABEL[phase]} answered HTTP ${status}${said === undefined ? '' : `: ${said}`}`;
  const retryAfter = response.headers['retry-after'];
  return new DeliveryError(kind, message, {
    status,
    ...(s3 === undefined ? {} : { code: s3.code }),
    ...(retryAfter === undefined ? {} : { retryAfter }),
  });
}

/** A 2xx answer the profile cannot use: retried, as a vendor's hiccup usually is. */
export function badAnswer(response: HttpResponse, request: string, what: string): DeliveryError {
  return new DeliveryError(
    'bad-answer',
    `the ${request} request answered HTTP ${response.status} with ${what}`,
    {
      status: response.status,
    },
  );
}

/** Longer than this, an id is not an id: it would be quoted whole in every message about the file. */
const MAX_ID = 256;

/**
 * The vendor's id of a file (or a task, an upload) from its answer: a string or number, shown,
 * logged and stored as it is, so one holding a control character, or too long to quote, is no
 * usable id. Changing it would make it someone else's id; refusing it says what happened.
 */
export function vendorId(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const id = String(value);
  return id !== '' && id.length <= MAX_ID && isPrintable(id) ? id : undefined;
}

/**
 * Why a URL read from an answer cannot be sent to, undefined when it can; the reason quotes the
 * URL without the credentials of the request that got it.
 */
export function answeredUrlProblem(response: HttpResponse, url: string): string | undefined {
  if (endpointProblem(url) === undefined) return undefined;
  return endpointProblem(redactLiterals(url, response.credentials ?? [])) ?? 'not usable';
}

/** The JSON of a 2xx answer, or a `bad-answer` saying what came instead (a proxy's HTML page, say). */
export function answerJson(response: HttpResponse, request: string): unknown {
  try {
    return JSON.parse(response.body);
  } catch {
    const what = /^\s*</.test(response.body)
      ? 'an HTML or XML page instead of JSON'
      : 'a body that is not JSON';
    throw badAnswer(response, request, what);
  }
}
