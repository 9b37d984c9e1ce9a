import { describe, expect, it } from 'vitest';
import { CONTINUE_ABOVE_BYTES, continueFor } from '../../../src/engine/protocols/vendor-requests.js';

describe('continueFor', () => {
  it('holds back a body past 1 MiB until the server says go', () => {
    expect(CONTINUE_ABOVE_BYTES).toBe(1024 * 1024);
    expect(continueFor(CONTINUE_ABOVE_BYTES + 1)).toEqual({ expect: '100-continue' });
    expect(continueFor(5 * 1024 * 1024 * 1024)).toEqual({ expect: '100-continue' });
  });

  it('sends a body of 1 MiB or less at once', () => {
    expect(continueFor(CONTINUE_ABOVE_BYTES)).toEqual({});
    expect(continueFor(10 * 1024)).toEqual({});
    expect(continueFor(0)).toEqual({});
  });
});
