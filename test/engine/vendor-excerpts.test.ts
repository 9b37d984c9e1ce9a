import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/engine/delivery-error.js';
import type { HttpResponse } from '../../src/engine/ports.js';
import { readProcessingStatus } from '../../src/engine/processing-status.js';
import { readGrant } from '../../src/engine/protocols/presigned-put.js';
import { errorFromResponse } from '../../src/engine/vendor-answer.js';
import { endpointProblem } from '../../src/shared/config.js';

/**
 * A vendor's value quoted in a message is a short excerpt, however long the value: a 300 MiB
 * `{"url": "xxxx…"}` was quoted whole in the retry line (issue #16, finding 6).
 */
const HUGE = 'x'.repeat(900_000);
const SHORT = 400;

const answer = (status: number, body: unknown): HttpResponse => ({
  status,
  headers: {},
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

function messageOf(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

const spec = {
  endpoint: 'https://api.example/v1',
  auth: 'bearer' as const,
  body: {},
  urlPath: 'url',
  idPath: 'id',
};

describe('a vendor value quoted in a message', () => {
  it.each([
    ['a URL that is not one', { id: 1, url: HUGE }],
    ['an http URL to a remote host', { id: 1, url: `http://${HUGE}.example/` }],
  ])('in the upload-URL answer, %s', (_what, body) => {
    const message = messageOf(() => readGrant(spec, answer(200, body)));
    expect(message).toMatch(/^the upload-URL request answered HTTP 200 with an unusable upload URL/);
    expect(message.length).toBeLessThan(SHORT);
  });

  it('in an unknown import status, and in the reason of a failed one', () => {
    expect(messageOf(() => readProcessingStatus(answer(200, { status: HUGE }))).length).toBeLessThan(SHORT);
    const failed = readProcessingStatus(answer(200, { status: 'Failed', error: HUGE }));
    expect(failed.phase === 'failed' ? failed.message.length : 0).toBeLessThan(SHORT);
  });

  it("in the vendor's error: an S3 code, a message, a title", () => {
    for (const body of [
      `<Error><Code>${HUGE}</Code><Message>${HUGE}</Message></Error>`,
      { message: HUGE },
      `<html><title>${HUGE}</title></html>`,
      HUGE,
    ]) {
      expect(errorFromResponse(answer(400, body), 'upload').message.length).toBeLessThan(2 * SHORT);
    }
  });

  it('in any error message, and in the endpoint check the config shares', () => {
    expect(new DeliveryError('network', `the server said ${HUGE}`).message.length).toBeLessThan(1_100);
    expect(endpointProblem(HUGE)?.length).toBeLessThan(SHORT);
  });
});
