import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/engine/delivery-error.js';
import { exactly } from '../../../src/engine/protocols/exact-length.js';

async function* chunks(...sizes: number[]): AsyncGenerator<Uint8Array> {
  for (const size of sizes) {
    await Promise.resolve();
    yield new Uint8Array(size).fill(1);
  }
}

async function total(stream: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const chunk of stream) n += chunk.byteLength;
  return n;
}

describe('exactly', () => {
  it('passes a file of the announced length through', async () => {
    expect(await total(exactly(chunks(4, 4, 2), 10, () => undefined))).toBe(10);
  });

  it('cuts a file that grew at the announced length', async () => {
    expect(await total(exactly(chunks(4, 4, 4, 4), 10, () => undefined))).toBe(10);
  });

  it('reports a file that shrank, and fails the stream', async () => {
    let short = false;
    const reading = total(
      exactly(chunks(4, 2), 10, () => {
        short = true;
      }),
    );
    await expect(reading).rejects.toThrow(
      new DeliveryError('file', 'the file shrank while it was being sent (4 bytes missing)'),
    );
    expect(short).toBe(true);
  });
});
