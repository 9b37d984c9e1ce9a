import { describe, expect, it, vi } from 'vitest';

interface Recorded {
  options: unknown;
  openHandler?: (details: { url: string }) => { action: string };
  listeners: Map<string, (event: { preventDefault: () => void }, url: string) => void>;
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
        on: (name: string, listener: (event: { preventDefault: () => void }, url: string) => void) => {
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
    const away = { preventDefault: vi.fn() };
    navigate?.(away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const inside = { preventDefault: vi.fn() };
    navigate?.(inside, 'app://ferry/index.html#jobs');
    expect(inside.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    window?.listeners.get('will-attach-webview')?.(webview, '');
    expect(webview.preventDefault).toHaveBeenCalled();
  });
});
