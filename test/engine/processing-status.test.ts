import { describe, expect, it } from 'vitest';
import { readProcessingStatus } from '../../src/engine/processing-status.js';

const answer = (body: string) => ({ status: 200, headers: {}, body });

describe('readProcessingStatus', () => {
  it.each([
    ['Pending', 'working'],
    ['Processing', 'working'],
    ['In Progress', 'working'],
    ['Completed', 'completed'],
    ['Success', 'completed'],
  ])('%s → %s', (status, phase) => {
    expect(readProcessingStatus(answer(JSON.stringify({ status })))).toEqual({ phase });
  });

  it('keeps the reason of a failure, as text or as an error object', () => {
    expect(readProcessingStatus(answer('{"status":"Failed","error":"bad header"}'))).toEqual({
      phase: 'failed',
      message: 'bad header',
    });
    expect(readProcessingStatus(answer('{"status":"Failed","error":{"message":"empty"}}'))).toEqual({
      phase: 'failed',
      message: 'empty',
    });
    expect(readProcessingStatus(answer('{"status":"Failed"}'))).toEqual({
      phase: 'failed',
      message: 'no reason given',
    });
  });

  it('calls unreadable answers bad answers', () => {
    expect(() => readProcessingStatus(answer('<html/>'))).toThrow(
      'the status request answered HTTP 200 with an HTML or XML page instead of JSON',
    );
    expect(() => readProcessingStatus(answer('pending'))).toThrow('with a body that is not JSON');
    expect(() => readProcessingStatus(answer('{"status":"Exploded"}'))).toThrow(
      'an unknown status "Exploded"',
    );
    expect(() => readProcessingStatus(answer('[]'))).toThrow('an unknown status null');
  });
});
