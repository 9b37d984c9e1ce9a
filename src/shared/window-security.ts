/**
 * How the app window is locked down. Electron calls live in src/main; every
 * decision about them is here, pure and tested, so the hardening cannot drift.
 */

/** The renderer is served from a custom protocol, never file:// (which grants a whole disk's origin). */
export const APP_ORIGIN = 'app://ferry';
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The subset of Electron's WebPreferences Ferry sets; every one is a security decision. */
export interface HardenedWebPreferences {
  readonly preload: string;
  readonly sandbox: true;
  readonly contextIsolation: true;
  readonly nodeIntegration: false;
  readonly nodeIntegrationInWorker: false;
  readonly nodeIntegrationInSubFrames: false;
  readonly webSecurity: true;
  readonly allowRunningInsecureContent: false;
  readonly webviewTag: false;
  readonly navigateOnDragDrop: false;
  readonly spellcheck: false;
  readonly devTools: boolean;
}

export interface AppWindowOptions {
  readonly width: number;
  readonly height: number;
  readonly minWidth: number;
  readonly minHeight: number;
  readonly show: false;
  readonly title: string;
  readonly webPreferences: HardenedWebPreferences;
}

/** Options for every BrowserWindow Ferry opens; lint refuses a BrowserWindow built any other way. */
export function appWindowOptions(preload: string, development: boolean): AppWindowOptions {
  return {
    width: 1100,
    height: 720,
    minWidth: 640,
    minHeight: 420,
    // Shown on 'ready-to-show', so no blank frame flashes.
    show: false,
    title: 'Ferry',
    webPreferences: {
      preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: development,
    },
  };
}

function originOf(url: string): string | undefined {
  try {
    const { protocol, host } = new URL(url);
    return `${protocol}//${host}`;
  } catch {
    return undefined;
  }
}

/** The window may only ever show the app itself: every other navigation is refused. */
export function mayNavigate(url: string): boolean {
  return originOf(url) === APP_ORIGIN;
}

/**
 * A frame's navigation (Electron's will-frame-navigate, for every frame): the main frame as
 * `mayNavigate` says; a subframe never, as the app has none and its CSP allows none.
 */
export function mayNavigateFrame(url: string, isMainFrame: boolean): boolean {
  return isMainFrame && mayNavigate(url);
}

/**
 * The web permissions the window may have. Electron grants every one a page asks for unless
 * told otherwise (camera, microphone, notifications, the clipboard…). Ferry's window needs
 * none: notifications come from the main process, files from a dialog or a drop.
 */
const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set();

export function mayGrantPermission(permission: string, requestingUrl: string): boolean {
  return originOf(requestingUrl) === APP_ORIGIN && GRANTED_PERMISSIONS.has(permission);
}

/**
 * The file under the renderer folder that an app:// request names, as a relative path with `/`
 * (`index.html` for a route of the single-page app), or undefined when it names none: another
 * host, a malformed escape (decodeURIComponent would throw), or a segment that could climb or
 * turn into another path (`..`, `.`, a backslash, a drive's colon, NUL), escaped or not.
 */
export function appAssetPath(url: string): string | undefined {
  if (originOf(url) !== APP_ORIGIN) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return undefined;
  }
  const segments = path.split('/').filter((segment) => segment !== '');
  // eslint-disable-next-line no-control-regex -- NUL is one of the characters refused
  if (segments.some((segment) => segment === '..' || segment === '.' || /[\\:\u0000]/.test(segment)))
    return undefined;
  const last = segments.at(-1) ?? '';
  return last.includes('.') ? segments.join('/') : 'index.html';
}

/** Links the user clicks open in the system browser, and only web links. */
export function mayOpenExternally(url: string): boolean {
  const protocol = originOf(url)?.split(':')[0];
  return protocol === 'https' || protocol === 'http';
}

export interface IpcSender {
  readonly url: string;
  readonly isMainFrame: boolean;
}

/** An IPC message is answered only when it comes from the app's own page in its main frame. */
export function isTrustedSender(sender: IpcSender | undefined): boolean {
  return sender !== undefined && sender.isMainFrame && originOf(sender.url) === APP_ORIGIN;
}
