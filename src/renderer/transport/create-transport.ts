import { HttpTransport } from './http-transport.js';
import { IpcTransport, type FerryBridge } from './ipc-transport.js';
import type { Transport } from './transport.js';

const TOKEN_KEY = 'ferry-ui-token';

/**
 * The desktop app's preload puts the bridge on `window.ferry`; a browser
 * opened from `ferry watch --ui` has the token in the URL's fragment instead,
 * which is then removed from the address bar so it is not bookmarked or
 * shared; the tab keeps it (sessionStorage) so a reload still works.
 */
export function createTransport(): Transport | undefined {
  const bridge = (window as unknown as { ferry?: FerryBridge }).ferry;
  if (bridge !== undefined) return new IpcTransport(bridge);
  const fromUrl = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromUrl !== null && fromUrl !== '') {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    history.replaceState(null, '', window.location.pathname);
  }
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token === null || token === '' ? undefined : new HttpTransport(token);
}
