import { assertNever } from '../shared/assert-never.js';
import { DeliveryError } from './delivery-error.js';
import type { Pacer } from './pacer.js';
import type { JobEvent } from '../shared/job.js';
import type { HttpRequest, HttpResponse } from './ports.js';
import type { ImportOutcome, ProcessingStatus } from './processing-status.js';
import type { RequestContext } from './protocols/vendor-requests.js';
import { request } from './protocols/vendor-requests.js';
import { backoffCeiling } from './retry-policy.js';
import { ensureOk } from './vendor-answer.js';

/** Import status polls start quick (small files finish in seconds) and settle at one every 30 s. */
const POLL_INTERVALS = { baseDelayMs: 1_000, maxDelayMs: 30_000 } as const;

export interface StatusToFollow {
  readonly request: Omit<HttpRequest, 'signal'>;
  /** Reads a 2xx answer: the protocol's reader, since only it knows what its vendor's answer means. */
  readonly read: (response: HttpResponse) => ProcessingStatus;
  /** How long the vendor may take before the job gives up on it. */
  readonly maxMs: number;
}

/**
 * Polls the vendor's import status of a delivered file until it is imported, and resolves with
 * what the vendor then reported (its statistics, the file's own id); throws the
 * DeliveryError the job fails with when the vendor could not import it, took too long, or
 * its status could not be read. The bytes are delivered by now, so nothing here sends them
 * again: each poll is paced like any request, and a poll that answers starts the budget over.
 */
export async function followStatus(
  context: RequestContext & { readonly pacer: Pacer },
  status: StatusToFollow,
  remoteId: string,
): Promise<ImportOutcome> {
  const { clock } = context.ports;
  const started = clock.now();
  const giveUp = (why: string) => `delivered as ${remoteId}, but its import status could not be read: ${why}`;
  for (let poll = 1; ; poll += 1) {
    await clock.sleep(backoffCeiling(POLL_INTERVALS, poll), context.signal);
    if (clock.now() - started > status.maxMs) {
      const hours = Math.round(status.maxMs / 3_600_000);
      throw new DeliveryError('server', `delivered as ${remoteId}, but still not imported after ${hours} h`);
    }
    const answer = await context.pacer.run({ giveUp }, async () =>
      status.read(ensureOk(await request(context, status.request), 'status')),
    );
    switch (answer.phase) {
      case 'working':
        continue;
      case 'completed':
        return {
          ...(answer.statistics === undefined ? {} : { statistics: answer.statistics }),
          ...(answer.fileId === undefined ? {} : { fileId: answer.fileId }),
        };
      case 'failed':
        throw new DeliveryError('vendor-rejected', `the vendor could not import the file: ${answer.message}`);
      default:
        return assertNever(answer);
    }
  }
}

/**
 * The event that completes a job whose import finished. A vendor that named the file by a task
 * id and reported the file's own id makes that the job's remote id; the task id is kept beside it.
 */
export function completion(
  remoteId: string,
  outcome: ImportOutcome,
): Extract<JobEvent, { type: 'complete' }> {
  const { statistics, fileId } = outcome;
  const renamed = fileId !== undefined && fileId !== remoteId;
  return {
    type: 'complete',
    remoteId: renamed ? fileId : remoteId,
    ...(renamed ? { taskId: remoteId } : {}),
    ...(statistics === undefined ? {} : { statistics }),
  };
}
