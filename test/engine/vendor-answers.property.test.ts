import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/engine/delivery-error.js';
import type { HttpResponse } from '../../src/engine/ports.js';
import { readProcessingStatus } from '../../src/engine/processing-status.js';
import { readTaskId } from '../../src/engine/protocols/form.js';
import {
  readCreated,
  readEtag,
  readPartUrl,
  readParts,
} from '../../src/engine/protocols/multipart-requests.js';
import { readGrant } from '../../src/engine/protocols/presigned-put.js';
import { answerJson, errorFromResponse, vendorMessage } from '../../src/engine/vendor-answer.js';
import { endpointProblem } from '../../src/shared/config.js';
import { isPrintable } from '../../src/shared/vendor-text.js';

/**
 * Every reader of a vendor's answer, fed whatever a broken or hostile vendor could send: it
 * returns what its profile needs, in a shape Ferry can use, or throws a DeliveryError whose
 * message may be shown as it is (printable, of readable length, without the request's token).
 * Nothing else ever escapes: no TypeError from a shape nobody expected (issue #16).
 */
const TOKEN = 'QZ7tok-SECRET-0123456789';
const RUNS = { numRuns: 300, interruptAfterTimeLimit: 4_000 };

/** Text a vendor might send: anything, with terminal controls, the token and JSON's pitfalls mixed in. */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom('\u001b[2J', '\u001b]0;x\u0007', '\u009b2J', TOKEN, `x${TOKEN}y`, '\u0000', '"', '</'),
  fc.string({ maxLength: 400 }).map((s) => `${s}${TOKEN}${s}`),
);
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const leaf = fc.oneof(scalar, fc.jsonValue({ maxDepth: 2 }));
const url = fc.oneof(
  text,
  fc.webUrl(),
  fc.constantFrom('http://attacker.example/x', 'https://u:p@h.example/', 'javascript:alert(1)'),
  text.map((t) => `https://upload.s3.example/${encodeURIComponent(t)}?X-Amz-Signature=${TOKEN}`),
);
/** The keys the readers look for, each with anything in it. */
const shaped = fc.record(
  {
    id: leaf,
    url,
    uploadId: leaf,
    task_id: leaf,
    status: fc.oneof(leaf, fc.constantFrom('Failed', 'FAILURE', 'Completed', 'Pending', 'pending ')),
    error: fc.oneof(leaf, fc.record({ message: leaf })),
    message: leaf,
    errors: fc.array(leaf, { maxLength: 3 }),
    parts: fc.oneof(
      leaf,
      fc.array(fc.record({ partNumber: leaf, etag: leaf, size: leaf }, { requiredKeys: [] }), {
        maxLength: 3,
      }),
    ),
    data: fc.record({ upload: fc.record({ url }, { requiredKeys: [] }) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  text,
  shaped.map((value) => JSON.stringify(value)),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc
    .tuple(text, text)
    .map(([code, message]) => `<Error><Code>${code}</Code><Message>${message}</Message></Error>`),
  text.map((title) => `<!doctype html><html><title>${title}</title></html>`),
);
const response: fc.Arbitrary<HttpResponse> = fc.record({
  status: fc.oneof(
    fc.constantFrom(200, 201, 400, 401, 403, 404, 429, 500, 503),
    fc.integer({ min: 100, max: 599 }),
  ),
  headers: fc.record({ etag: text, 'retry-after': text }, { requiredKeys: [] }),
  body,
  // As the engine hands every answer on: told the token of its request.
  credentials: fc.constant([TOKEN]),
});

const PRESIGNED = {
  endpoint: 'https://api.example/v1',
  auth: 'bearer' as const,
  body: {},
  urlPath: 'url',
  idPath: 'id',
};
const NESTED = { ...PRESIGNED, urlPath: 'data.upload.url' };
const FORM = {
  endpoint: 'https://api.example/api/v1/file/new',
  auth: 'bearer' as const,
  fields: {},
  idPath: 'task_id',
};

/** Runs a reader: its result, or the DeliveryError it threw, held to what a message must be. */
function read<T>(reader: () => T): T | undefined {
  try {
    return reader();
  } catch (error) {
    expect(error).toBeInstanceOf(DeliveryError);
    const { message } = error as DeliveryError;
    expect(isPrintable(message)).toBe(true);
    expect(message.length).toBeLessThanOrEqual(1_000);
    expect(message).not.toContain(TOKEN.slice(0, 8));
    return undefined;
  }
}

const isUsableId = (id: string) => id !== '' && id.length <= 256 && isPrintable(id);

describe('every reader of a vendor answer, on anything', () => {
  it('the upload-URL answer: a URL Ferry may send to and a usable id, or a DeliveryError', () => {
    fc.assert(
      fc.property(response, (answer) => {
        for (const spec of [PRESIGNED, NESTED]) {
          const grant = read(() => readGrant(spec, answer));
          if (grant === undefined) continue;
          expect(endpointProblem(grant.url)).toBeUndefined();
          expect(isUsableId(grant.remoteId)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('the multipart answers: create, part URL, list of parts, ETag', () => {
    fc.assert(
      fc.property(response, (answer) => {
        const created = read(() => readCreated(answer));
        if (created !== undefined) {
          expect(isUsableId(created.remoteId)).toBe(true);
          expect(isPrintable(created.uploadId)).toBe(true);
        }
        const partUrl = read(() => readPartUrl(answer));
        if (partUrl !== undefined) expect(endpointProblem(partUrl)).toBeUndefined();
        const parts = read(() => readParts(answer));
        for (const part of parts ?? []) {
          expect(Number.isInteger(part.partNumber)).toBe(true);
          expect(typeof part.etag).toBe('string');
          expect(typeof part.size).toBe('number');
        }
        const etag = read(() => readEtag(answer));
        if (etag !== undefined) expect(etag).not.toBe('');
      }),
      RUNS,
    );
  });

  it("the form's task id and the import status", () => {
    fc.assert(
      fc.property(response, (answer) => {
        const task = read(() => readTaskId(FORM, answer));
        if (task !== undefined) expect(isUsableId(task)).toBe(true);
        const status = read(() => readProcessingStatus(answer));
        if (status?.phase === 'failed') {
          expect(isPrintable(status.message)).toBe(true);
          expect(status.message.length).toBeLessThanOrEqual(301);
          expect(status.message).not.toContain(TOKEN.slice(0, 8));
        }
      }),
      RUNS,
    );
  });

  it("a refusal: the vendor's words, printable, short and without the token", () => {
    fc.assert(
      fc.property(response, (answer) => {
        const said = vendorMessage(answer.body, [TOKEN]);
        if (said !== undefined) {
          expect(isPrintable(said)).toBe(true);
          expect(said).not.toContain(TOKEN.slice(0, 8));
        }
        for (const phase of ['url-request', 'upload', 'status'] as const)
          read(() => {
            throw errorFromResponse(answer, phase);
          });
        read(() => answerJson(answer, 'any'));
      }),
      RUNS,
    );
  });
});
