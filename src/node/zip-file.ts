import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';

export interface ZipEntry {
  /** Path inside the archive, `/`-separated. */
  readonly name: string;
  readonly text: string;
}

/** Writes a zip of small text entries (compressed) to `path`, replacing what was there. */
export async function writeZip(
  path: string,
  entries: readonly ZipEntry[],
  mtime = new Date(),
): Promise<void> {
  const zip = new ZipFile();
  for (const entry of entries)
    zip.addBuffer(Buffer.from(entry.text, 'utf8'), entry.name, { mtime, mode: 0o600 });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path, { mode: 0o600 }));
}
