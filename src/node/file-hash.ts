import { createHash } from 'node:crypto';
import { lentChunks } from './lent-chunks.js';

async function digest(path: string, signal: AbortSignal | undefined): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of lentChunks(path, signal === undefined ? {} : { signal })) hash.update(chunk);
  return hash.digest('hex');
}

/** Rejects with `signal.reason` once `signal` aborts; `stop` detaches it. */
function abortion(signal: AbortSignal): { readonly aborted: Promise<never>; readonly stop: () => void } {
  const controller = new AbortController();
  const aborted = new Promise<never>((_resolve, reject) => {
    signal.addEventListener(
      'abort',
      () => {
        reject(signal.reason as Error);
      },
      { once: true, signal: controller.signal },
    );
  });
  return {
    aborted,
    stop: () => {
      controller.abort();
    },
  };
}

/**
 * The hex sha256 of a file's bytes, read as a stream so memory does not grow with the file.
 * When `signal` aborts, rejects at once with `signal.reason`, as every port does: a read stuck
 * on a network share must not hold up a pause. The stream closes once that read returns.
 */
export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  if (signal === undefined) return digest(path, undefined);
  signal.throwIfAborted();
  const { aborted, stop } = abortion(signal);
  try {
    return await Promise.race([digest(path, signal), aborted]);
  } catch (error) {
    throw signal.aborted ? (signal.reason as Error) : error;
  } finally {
    stop();
  }
}
