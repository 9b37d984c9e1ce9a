import { BrowserWindow, shell } from 'electron';
import { APP_ENTRY, appWindowOptions, mayNavigate, mayOpenExternally } from '../shared/window-security.js';

/**
 * The app window: built from appWindowOptions() (lint refuses any other), no
 * new windows (web links go to the browser), no navigation away from the app.
 */
export function openAppWindow(preload: string, development: boolean): BrowserWindow {
  const window = new BrowserWindow(appWindowOptions(preload, development));
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (mayOpenExternally(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!mayNavigate(url)) event.preventDefault();
  });
  window.webContents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  window.once('ready-to-show', () => {
    window.show();
  });
  void window.loadURL(APP_ENTRY);
  return window;
}
