import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
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

/**
 * A browser cannot hand the agent a path, only bytes: `Upload a file…` and a
 * drop in `ferry watch --ui` stream the file into `<uploadsDir>/<random>/<name>`
 * (its own folder, so the name the user chose is kept and two uploads of the
 * same name never meet), and the agent delivers that copy.
 */
export async function receiveUpload(req: IncomingMessage, uploadsDir: string, name: string): Promise<string> {
  const folder = join(uploadsDir, randomUUID());
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const path = join(folder, name);
  try {
    await pipeline(req, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  return path;
}
