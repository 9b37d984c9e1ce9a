import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A name the browser sent for a file: a plain file name, nothing that can climb or hide. */
export function isPlainFileName(name: string): boolean {
  return (
    name.length > 0 &&
    Buffer.byteLength(name) <= 255 &&
    name !== '.' &&
    name !== '..' &&
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    !/[/\\\u0000-\u001f]/.test(name)
  );
}

/** The body of an upload ran past the target's limit: nothing of it was kept. */
export class UploadTooLarge extends Error {
  override readonly name = 'UploadTooLarge';
}

/** Passes bytes on until more than `limit` have come, then fails the pipeline. */
function atMost(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > limit ? new UploadTooLarge(`more than ${limit} bytes`) : null, chunk);
    },
  });
}

/**
 * A browser cannot hand the agent a path, only bytes: `Upload a file…` and a
 * drop in `ferry watch --ui` stream the file into `<uploadsDir>/<random>/<name>`
 * (its own folder, so the name the user chose is kept and two uploads of the
 * same name never meet), and the agent delivers that copy. At most `limit`
 * bytes are taken (the target's size limit): past it the copy is removed and
 * UploadTooLarge thrown, so a page cannot fill the disk.
 */
export async function receiveUpload(
  req: IncomingMessage,
  uploadsDir: string,
  name: string,
  limit: number,
): Promise<string> {
  const folder = join(uploadsDir, randomUUID());
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const path = join(folder, name);
  try {
    await pipeline(req, atMost(limit), createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    await discardUpload(path);
    throw error;
  }
  return path;
}

/** Removes a received copy (and its folder), when the agent will not deliver it. */
export async function discardUpload(path: string): Promise<void> {
  await rm(dirname(path), { recursive: true, force: true });
}
