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

  it('finds the reason of a failure in whichever field the vendor put it', () => {
    const reasonOf = (body: unknown) => {
      const status = readProcessingStatus(answer(JSON.stringify({ status: 'Failed', ...(body as object) })));
      return status.phase === 'failed' ? status.message : status.phase;
    };
    expect(reasonOf({ reason: 'duplicate header' })).toBe('duplicate header');
    expect(reasonOf({ message: 'bad encoding' })).toBe('bad encoding');
    expect(reasonOf({ detail: 'row 3 has 2 fields' })).toBe('row 3 has 2 fields');
    expect(reasonOf({ error: { reason: 'quota exceeded' } })).toBe('quota exceeded');
    expect(reasonOf({ errors: [{ message: 'column "x" unknown' }] })).toBe('column "x" unknown');
    // An empty error says nothing: the next field that says something wins.
    expect(reasonOf({ error: '', message: 'too large' })).toBe('too large');
  });

  it('keeps the statistics of a finished import as the vendor named them', () => {
    const statistics = { rows: 3, columns: 2, bytes: 40 };
    expect(readProcessingStatus(answer(JSON.stringify({ status: 'Completed', statistics })))).toEqual({
      phase: 'completed',
      statistics,
    });
    expect(readProcessingStatus(answer(JSON.stringify({ status: 'Success', stats: { rows: 1 } })))).toEqual({
      phase: 'completed',
      statistics: { rows: 1 },
    });
    expect(readProcessingStatus(answer(JSON.stringify({ status: 'Completed', statistics: 7 })))).toEqual({
      phase: 'completed',
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
