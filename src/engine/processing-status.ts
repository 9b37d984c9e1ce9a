import { excerpt } from '../shared/vendor-text.js';
import type { ImportStatistics } from '../shared/import-statistics.js';
import { isJsonObject, type JsonObject } from '../shared/json-value.js';
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
  | ({ readonly phase: 'completed' } & ImportOutcome)
  | { readonly phase: 'failed'; readonly message: string };

/** What a finished import leaves for the job besides "done". */
export interface ImportOutcome {
  /** The import's figures, as the vendor named them ("view import statistics once finished"). */
  readonly statistics?: ImportStatistics;
  /** The file's own id, where the status followed was a background task's (the form API). */
  readonly fileId?: string;
}

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

/** Where vendors put the reason of a failed import, most specific first. */
const REASON_KEYS = ['error', 'reason', 'message', 'detail', 'errors'] as const;

/** A reason as text: a string, an object's own reason, or the first of a list. */
function reasonIn(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (Array.isArray(value)) return value.map(reasonIn).find((text) => text !== undefined);
  if (isJsonObject(value)) return reasonOf(value);
  return undefined;
}

function reasonOf(record: JsonObject): string | undefined {
  return REASON_KEYS.map((key) => reasonIn(record[key])).find((text) => text !== undefined);
}

/** The figures of a finished import, under whichever of the usual keys the vendor used. */
function statisticsOf(record: JsonObject): ImportStatistics | undefined {
  const found = record.statistics ?? record.stats;
  return isJsonObject(found) ? found : undefined;
}

/** Reads a 2xx status answer; an answer it cannot read is a `bad-answer`, retried. */
export function readProcessingStatus(response: HttpResponse): ProcessingStatus {
  const parsed = answerJson(response, 'status');
  const record = isJsonObject(parsed) ? parsed : {};
  const status = typeof record.status === 'string' ? record.status.toLowerCase() : undefined;
  if (status !== undefined && WORKING.has(status)) return { phase: 'working' };
  if (status !== undefined && COMPLETED.has(status)) {
    const statistics = statisticsOf(record);
    return statistics === undefined ? { phase: 'completed' } : { phase: 'completed', statistics };
  }
  if (status !== undefined && FAILED.has(status))
    return {
      phase: 'failed',
      message: excerpt(reasonOf(record) ?? 'no reason given', MAX_REASON, response.credentials),
    };
  throw new DeliveryError(
    'bad-answer',
    `the status request answered HTTP ${response.status} with an unknown status ${excerpt(JSON.stringify(record.status ?? null), undefined, response.credentials)}`,
  );
}
