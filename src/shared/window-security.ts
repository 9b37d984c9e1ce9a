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
