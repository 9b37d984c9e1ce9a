import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../shared/window-security.js';
import { RENDERER_CONTENT_TYPES as TYPES } from '../shared/content-types.js';

/** Must run before the app is ready: app:// is a standard, secure scheme like https. */
export function declareAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/**
 * Serves the built renderer on app://ferry/ with the CSP on every answer.
 * A path that climbs out of the renderer folder is refused.
 */
export function serveRenderer(root: string): void {
  protocol.handle('app', async (request) => {
    const path = normalize(join(root, decodeURIComponent(new URL(request.url).pathname)));
    if (!path.startsWith(root + sep)) return new Response('not found', { status: 404 });
    const file = extname(path) === '' ? join(root, 'index.html') : path;
    try {
      return new Response(await readFile(file), {
        headers: {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': CONTENT_SECURITY_POLICY,
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}
