import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { PreparedFile, PreparePlan } from '../engine/agent/agent-ports.js';
import { csvToNdjson } from '../engine/content/csv-to-ndjson.js';
import { contentChunks } from './content-chunks.js';
import { lentChunks } from './lent-chunks.js';

/** csv-to-ndjson turns `x.csv` (or `x.csv.gz`) into `x.ndjson`; gzip adds `.gz`. */
export function preparedName(name: string, plan: PreparePlan): string {
  let result = name;
  if (plan.convert === 'csv-to-ndjson') result = result.replace(/\.csv(\.gz)?$/, '.ndjson');
  if (plan.compress === 'gzip' && !result.endsWith('.gz')) result = `${result}.gz`;
  return result;
}

/** Resolves once `sink` has taken `chunk` (zlib has deflated it, the file has it): a lent chunk may then be reused. */
function handOn(sink: Writable, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    sink.write(chunk, (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

/**
 * Writes what will be sent into a temporary file beside the state dir:
 * converted and/or compressed, streamed, so memory stays flat. Presigned PUTs
 * need the size up front, hence a file rather than a stream of unknown length.
 */
export async function prepareFile(
  tmpDir: string,
  path: string,
  name: string,
  plan: PreparePlan,
  signal: AbortSignal,
): Promise<PreparedFile> {
  await mkdir(tmpDir, { recursive: true, mode: 0o700 });
  // Named after the source, not at random: after a crash the copy gets the same path again,
  // so the upload resumes with the URL it was given instead of sending a second object.
  const stem = createHash('sha256').update(path).digest('hex').slice(0, 16);
  const out = join(tmpDir, `${stem}-${preparedName(name, plan)}`);
  const cleanup = () => rm(out, { force: true });
  const file = createWriteStream(out, { mode: 0o600 });
  const gzip = plan.compress === 'gzip' ? createGzip() : undefined;
  const sink = gzip ?? file;
  const written = gzip === undefined ? finished(file) : pipeline(gzip, file);
  // An error surfaces through handOn or the await below; this keeps it from being unhandled meanwhile.
  written.catch(() => undefined);
  try {
    // Converting reads the CSV inside a .csv.gz; compressing alone sends the bytes as they are.
    const bytes =
      plan.convert === 'csv-to-ndjson'
        ? csvToNdjson(contentChunks(path), { types: plan.types ?? {}, requiredKeys: plan.requiredKeys ?? [] })
        : lentChunks(path);
    // Each chunk is handed on before the next is asked for: every stage lends its buffers.
    for await (const chunk of bytes) {
      signal.throwIfAborted();
      await handOn(sink, chunk);
    }
    sink.end();
    await written;
    return { path: out, name: preparedName(name, plan), cleanup };
  } catch (error) {
    // Destroying gzip destroys the file after it (pipeline): nothing is left open.
    sink.destroy();
    await written.catch(() => undefined);
    await cleanup();
    throw error;
  }
}
