import { excerpt } from '../shared/vendor-text.js';
import { DeliveryError } from './delivery-error.js';
import type { HttpResponse } from './ports.js';
import { answerJson } from './vendor-answer.js';

/**
 * What the vendor says about a delivered file it is importing (the analytics API's
 * `GET /analytics/files/{id}`: Pending → Processing → Completed | Failed; the form API's
 * background task: PENDING → STARTED → SUCCESS | FAILURE).
 */
export type ProcessingStatus =
  | { readonly phase: 'working' }
  | { readonly phase: 'completed' }
  | { readonly phase: 'failed'; readonly message: string };

/** The analytics API's words, Lexer's job statuses, and a background-task API's (PENDING…SUCCESS). */
const WORKING = new Set([
  'pending',
  'processing',
  'in progress',
  'in_progress',
  'queued',
  'started',
  'received',
  'retry',
]);
const COMPLETED = new Set(['completed', 'complete', 'success', 'succeeded']);
const FAILED = new Set(['failed', 'failure', 'error', 'revoked']);

/** As long as the vendor's message of a refused request may be. */
const MAX_REASON = 300;

function errorText(record: Record<string, unknown>): string {
  const { error } = record;
  if (typeof error === 'string' && error !== '') return error;
  if (typeof error === 'object' && error !== null) {
    const message = (error as Record<string, unknown>).message;
    if (typeof message === 'string' && message !== '') return message;
  }
  return 'no reason given';
}

/** Reads a 2xx status answer; an answer it cannot read is a `bad-answer`, retried. */
export function readProcessingStatus(response: HttpResponse): ProcessingStatus {
  const parsed = answerJson(response, 'status');
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const status = typeof record.status === 'string' ? record.status.toLowerCase() : undefined;
  if (status !== undefined && WORKING.has(status)) return { phase: 'working' };
  if (status !== undefined && COMPLETED.has(status)) return { phase: 'completed' };
  if (status !== undefined && FAILED.has(status))
    return { phase: 'failed', message: excerpt(errorText(record), MAX_REASON, response.credentials) };
  throw new DeliveryError(
    'bad-answer',
    `the status request answered HTTP ${response.status} with an unknown status ${excerpt(JSON.stringify(record.status ?? null), undefined, response.credentials)}`,
  );
}
