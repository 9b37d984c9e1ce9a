import { describe, expect, it } from 'vitest';
import {
  appWindowOptions,
  CONTENT_SECURITY_POLICY,
  isTrustedSender,
  mayNavigate,
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
