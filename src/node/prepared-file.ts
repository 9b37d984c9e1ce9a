import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { createHash } from 'node:crypto';
import type { PreparedFile, PreparePlan } from '../engine/agent/agent-ports.js';
import { csvToNdjson } from '../engine/content/csv-to-ndjson.js';

/** csv-to-ndjson turns `x.csv` (or `x.csv.gz`) into `x.ndjson`; gzip adds `.gz`. */
export function preparedName(name: string, plan: PreparePlan): string {
  let result = name;
  if (plan.convert === 'csv-to-ndjson') result = result.replace(/\.csv(\.gz)?$/, '.ndjson');
  if (plan.compress === 'gzip' && !result.endsWith('.gz')) result = `${result}.gz`;
  return result;
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
  try {
    const source = createReadStream(path);
    const converted =
      plan.convert === 'csv-to-ndjson'
        ? Readable.from(csvToNdjson(source, { types: plan.types ?? {} }))
        : source;
    const stages: NodeJS.ReadWriteStream[] = plan.compress === 'gzip' ? [createGzip()] : [];
    await pipeline([converted, ...stages, createWriteStream(out)], { signal });
    return { path: out, name: preparedName(name, plan), cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
