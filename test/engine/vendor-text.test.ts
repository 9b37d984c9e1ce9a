import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/engine/delivery-error.js';
import { readProcessingStatus } from '../../src/engine/processing-status.js';
import { readTaskId } from '../../src/engine/protocols/form.js';
import { readCreated } from '../../src/engine/protocols/multipart-requests.js';
import { readGrant } from '../../src/engine/protocols/presigned-put.js';
import { errorFromResponse, vendorMessage } from '../../src/engine/vendor-answer.js';
import type { HttpResponse } from '../../src/engine/ports.js';

/**
 * No control character a vendor sends reaches a terminal, a log or the window: a message, a
 * status reason or an id (issue #16, finding 5). ESC starts colour codes, screen clears and
 * OSC title sequences; BEL ends an OSC; 0x9b is the one-byte CSI of C1.
 */
const HOSTILE = '\u001b[2J\u001b[31mred\u001b[0m\u001b]0;pwned\u0007 \u009b2J\u0000done\r\nnext';
// eslint-disable-next-line no-control-regex -- the characters the test looks for
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const answer = (status: number, body: string): HttpResponse => ({ status, headers: {}, body });

describe('vendor text', () => {
  it.each([
    ['plain text', HOSTILE],
    ['a JSON message', JSON.stringify({ message: HOSTILE })],
    ['an S3 error', `<Error><Code>Denied${HOSTILE}</Code><Message>${HOSTILE}</Message></Error>`],
    ['an HTML title', `<html><title>${HOSTILE}</title></html>`],
  ])('in %s: the message keeps the words and shows each control character escaped', (_what, body) => {
    const said = vendorMessage(body) ?? '';
    expect(said).not.toMatch(CONTROL);
    expect(said).toContain('\\x1b[2J\\x1b[31mred');
    expect(said).toContain('\\x9b2J');
    const error = errorFromResponse(answer(400, body), 'upload');
    expect(error.message).not.toMatch(CONTROL);
  });

  it('in any error message, whoever built it', () => {
    expect(new DeliveryError('network', `socket said ${HOSTILE}`).message).not.toMatch(CONTROL);
  });

  it("in an import's failure reason", () => {
    const status = readProcessingStatus(answer(200, JSON.stringify({ status: 'Failed', error: HOSTILE })));
    expect(status).toMatchObject({ phase: 'failed' });
    expect(status.phase === 'failed' ? status.message : '').not.toMatch(CONTROL);
    expect(() => readProcessingStatus(answer(200, JSON.stringify({ status: `Weird${HOSTILE}` })))).toThrow(
      DeliveryError,
    );
    try {
      readProcessingStatus(answer(200, JSON.stringify({ status: `Weird\u009b2J` })));
    } catch (error) {
      expect((error as Error).message).not.toMatch(CONTROL);
    }
  });

  it('an id holding control characters is no id: the answer is refused before any byte is sent', () => {
    const spec = {
      endpoint: 'https://api.example/v1',
      auth: 'auth-api-token' as const,
      body: {},
      urlPath: 'url',
      idPath: 'id',
    };
    const grant = answer(200, JSON.stringify({ id: `f-1${HOSTILE}`, url: 'https://s3.example/k' }));
    expect(() => readGrant(spec, grant)).toThrow("no usable id at 'id'");
    expect(() => readCreated(answer(200, JSON.stringify({ uploadId: 'u', id: '\u001b]0;x\u0007' })))).toThrow(
      'no usable id',
    );
    const form = {
      endpoint: 'https://api.example/api/v1/file/new',
      auth: 'bearer' as const,
      fields: {},
      idPath: 'task_id',
    };
    expect(() => readTaskId(form, answer(200, JSON.stringify({ task_id: '\u009b2J' })))).toThrow(
      "without a usable task id at 'task_id'",
    );
    expect(readGrant(spec, answer(200, JSON.stringify({ id: 'f-1', url: 'https://s3.example/k' })))).toEqual({
      url: 'https://s3.example/k',
      remoteId: 'f-1',
    });
  });
});
