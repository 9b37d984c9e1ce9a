import { DeliveryError } from '../delivery-error.js';

/**
 * The file's bytes, exactly `length` of them. A file that grew is cut at the size announced
 * in Content-Length (the check after the PUT then sends it again); a file that shrank
 * sets `short`, so the attempt is treated as a change rather than a network failure.
 */
export async function* exactly(
  chunks: AsyncIterable<Uint8Array>,
  length: number,
  onShort: () => void,
): AsyncGenerator<Uint8Array> {
  let left = length;
  for await (const chunk of chunks) {
    if (left <= 0) return;
    const piece = chunk.byteLength > left ? chunk.subarray(0, left) : chunk;
    left -= piece.byteLength;
    yield piece;
  }
  if (left > 0) {
    onShort();
    throw new DeliveryError('file', `the file shrank while it was being sent (${left} bytes missing)`);
  }
}
