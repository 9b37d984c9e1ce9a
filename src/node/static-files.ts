import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { RENDERER_CONTENT_TYPES as TYPES } from '../shared/content-types.js';

/**
 * Sends a file of the built renderer; `/` is its index.html. A path that climbs
 * out of `root` answers 404, as does anything missing. Returns whether a file
 * was sent.
 */
export async function sendStaticFile(
  root: string,
  pathname: string,
  res: ServerResponse,
  headers: Readonly<Record<string, string>>,
): Promise<boolean> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  const path = normalize(join(root, decoded === '/' ? 'index.html' : decoded));
  if (!path.startsWith(root + sep)) return false;
  const info = await stat(path).catch(() => undefined);
  if (info?.isFile() !== true) return false;
  res.writeHead(200, {
    ...headers,
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
    'content-length': String(info.size),
  });
  createReadStream(path).pipe(res);
  return true;
}
