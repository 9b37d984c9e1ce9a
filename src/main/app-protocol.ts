import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { protocol } from 'electron';
import { appAssetPath, CONTENT_SECURITY_POLICY } from '../shared/window-security.js';
import { RENDERER_CONTENT_TYPES as TYPES } from '../shared/content-types.js';

/** Must run before the app is ready: app:// is a standard, secure scheme like https. */
export function declareAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/**
 * Serves the built renderer on app://ferry/ with the CSP on every answer. What a request may
 * name is appAssetPath's to say: anything else, another host or a malformed path included, is
 * a 404, never a throw.
 */
export function serveRenderer(root: string): void {
  protocol.handle('app', async (request) => {
    const asset = appAssetPath(request.url);
    if (asset === undefined) return new Response('not found', { status: 404 });
    const file = join(root, ...asset.split('/'));
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
