import { describe, expect, it, vi } from 'vitest';

interface Recorded {
  options: unknown;
  openHandler?: (details: { url: string }) => { action: string };
  listeners: Map<
    string,
    (event: { preventDefault: () => void; url?: string; isMainFrame?: boolean }, url?: string) => void
  >;
  loaded?: string;
}
const windows: Recorded[] = [];
const openExternal = vi.fn();

vi.mock('electron', () => ({
  shell: { openExternal },
  BrowserWindow: class {
    readonly record: Recorded;
    readonly webContents;
    constructor(options: unknown) {
      this.record = { options, listeners: new Map() };
      windows.push(this.record);
      const record = this.record;
      this.webContents = {
        setWindowOpenHandler: (handler: NonNullable<Recorded['openHandler']>) => {
          record.openHandler = handler;
        },
        on: (name: string, listener: Recorded['listeners'] extends Map<string, infer L> ? L : never) => {
          record.listeners.set(name, listener);
        },
      };
    }
    once() {
      return this;
    }
    loadURL(url: string) {
      this.record.loaded = url;
      return Promise.resolve();
    }
  },
}));

const { openAppWindow } = await import('../../src/main/app-window.js');
const { appWindowOptions } = await import('../../src/shared/window-security.js');

describe('openAppWindow', () => {
  it('builds the window from the hardened options and loads the app', () => {
    openAppWindow('/app/preload.cjs', false);
    const [window] = windows;
    expect(window?.options).toEqual(appWindowOptions('/app/preload.cjs', false));
    expect(window?.loaded).toBe('app://ferry/index.html');
  });

  it('denies new windows and sends web links to the browser', () => {
    const window = windows.at(-1);
    expect(window?.openHandler?.({ url: 'https://example.com/help' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://example.com/help');
    expect(window?.openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('stops navigation away from the app and refuses webviews', () => {
    const window = windows.at(-1);
    const navigate = window?.listeners.get('will-navigate');
    // As Electron 45 calls it: the URL on the event (the second argument is deprecated).
    const away = { preventDefault: vi.fn(), url: 'https://evil.example/' };
    navigate?.(away, away.url);
    expect(away.preventDefault).toHaveBeenCalled();
    const inside = { preventDefault: vi.fn(), url: 'app://ferry/index.html#jobs' };
    navigate?.(inside, inside.url);
    expect(inside.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    window?.listeners.get('will-attach-webview')?.(webview, '');
    expect(webview.preventDefault).toHaveBeenCalled();
  });
});

describe('openAppWindow, against what Electron allows by default (issue #16)', () => {
  it('stops a redirect away from the app', () => {
    const redirect = windows.at(-1)?.listeners.get('will-redirect');
    expect(redirect).toBeDefined();
    const away = { preventDefault: vi.fn(), url: 'https://evil.example/' };
    redirect?.(away, away.url);
    expect(away.preventDefault).toHaveBeenCalled();
    const inside = { preventDefault: vi.fn(), url: 'app://ferry/index.html' };
    redirect?.(inside, inside.url);
    expect(inside.preventDefault).not.toHaveBeenCalled();
  });

  it('stops any frame from navigating away, and every subframe', () => {
    const frame = windows.at(-1)?.listeners.get('will-frame-navigate');
    expect(frame).toBeDefined();
    const away = { preventDefault: vi.fn(), url: 'https://evil.example/', isMainFrame: true };
    frame?.(away);
    expect(away.preventDefault).toHaveBeenCalled();
    const sub = { preventDefault: vi.fn(), url: 'app://ferry/index.html', isMainFrame: false };
    frame?.(sub);
    expect(sub.preventDefault).toHaveBeenCalled();
    const main = { preventDefault: vi.fn(), url: 'app://ferry/index.html#jobs', isMainFrame: true };
    frame?.(main);
    expect(main.preventDefault).not.toHaveBeenCalled();
  });
});
