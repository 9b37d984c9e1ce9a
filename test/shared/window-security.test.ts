import { describe, expect, it } from 'vitest';
import {
  appAssetPath,
  appWindowOptions,
  CONTENT_SECURITY_POLICY,
  isTrustedSender,
  mayGrantPermission,
  mayNavigate,
  mayNavigateFrame,
  mayOpenExternally,
} from '../../src/shared/window-security.js';

describe('appWindowOptions', () => {
  it('hardens every window and allows DevTools only in development', () => {
    const production = appWindowOptions('/app/preload.cjs', false).webPreferences;
    expect(production).toMatchObject({
      preload: '/app/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(appWindowOptions('/p', true).webPreferences.devTools).toBe(true);
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  it('denies by default and allows scripts only from the app', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
  });
});

describe('navigation and IPC senders', () => {
  it.each([
    ['app://ferry/index.html', true],
    ['app://ferry/jobs/42', true],
    ['app://evil/index.html', false],
    ['https://example.com/', false],
    ['file:///etc/passwd', false],
    ['not a url', false],
  ])('navigating to %s allowed: %s', (url, allowed) => {
    expect(mayNavigate(url)).toBe(allowed);
  });

  it.each([
    ['https://docs.example.com/ferry', true],
    ['http://intranet/help', true],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['smb://share/x', false],
  ])('opening %s in the browser allowed: %s', (url, allowed) => {
    expect(mayOpenExternally(url)).toBe(allowed);
  });

  it.each([
    [{ url: 'app://ferry/index.html', isMainFrame: true }, true],
    [{ url: 'app://ferry/index.html', isMainFrame: false }, false],
    [{ url: 'https://evil.example/', isMainFrame: true }, false],
    [{ url: 'file:///tmp/x.html', isMainFrame: true }, false],
    [undefined, false],
  ])('sender %j trusted: %s', (sender, trusted) => {
    expect(isTrustedSender(sender)).toBe(trusted);
  });
});

describe('what Electron grants by default, refused (issue #16)', () => {
  it.each([
    'notifications',
    'media',
    'geolocation',
    'clipboard-read',
    'openExternal',
    'fullscreen',
    'unknown',
  ])('grants no %s permission, to the app or to anyone', (permission) => {
    expect(mayGrantPermission(permission, 'app://ferry/index.html')).toBe(false);
    expect(mayGrantPermission(permission, 'https://evil.example/')).toBe(false);
  });

  it.each([
    ['app://ferry/index.html', true, true],
    ['app://ferry/index.html', false, false],
    ['https://evil.example/', true, false],
    ['about:blank', false, false],
    ['app://evil/index.html', true, false],
  ])('a frame navigating to %s (main frame: %s) is let through: %s', (url, isMainFrame, allowed) => {
    expect(mayNavigateFrame(url, isMainFrame)).toBe(allowed);
  });
});

describe('appAssetPath: the file an app:// request names', () => {
  it.each([
    ['app://ferry/index.html', 'index.html'],
    ['app://ferry/assets/index-3f2a.js', 'assets/index-3f2a.js'],
    ['app://ferry/assets/a%20b.css', 'assets/a b.css'],
    // A route of the single-page app is the page itself.
    ['app://ferry/jobs/42', 'index.html'],
    ['app://ferry/', 'index.html'],
    // The URL parser resolves escaped dot segments within the app before anything is decoded.
    ['app://ferry/%2e%2e/%2e%2e/etc/passwd.js', 'etc/passwd.js'],
  ])('%s is %s', (url, path) => {
    expect(appAssetPath(url)).toBe(path);
  });

  it.each([
    ['another host', 'app://evil/index.html'],
    ['another scheme', 'https://ferry/index.html'],
    ['a malformed escape', 'app://ferry/%E0%A4%A'],
    ['a lone %', 'app://ferry/100%.js'],
    ['an escaped slash climb', 'app://ferry/assets%2f..%2f..%2fsecret.js'],
    ['a backslash', 'app://ferry/assets%5c..%5csecret.js'],
    ['a drive', 'app://ferry/C:%5cWindows%5cwin.ini'],
    ['a NUL', 'app://ferry/index.html%00.js'],
    ['not a URL', 'app:'],
  ])('names nothing for %s', (_what, url) => {
    expect(appAssetPath(url)).toBeUndefined();
  });
});
