import { BrowserWindow, shell } from 'electron';
import {
  APP_ENTRY,
  appWindowOptions,
  mayNavigate,
  mayNavigateFrame,
  mayOpenExternally,
} from '../shared/window-security.js';

/**
 * The app window: built from appWindowOptions() (lint refuses any other), no
 * new windows (web links go to the browser), no navigation, redirect or frame
 * navigation away from the app.
 */
export function openAppWindow(preload: string, development: boolean): BrowserWindow {
  const window = new BrowserWindow(appWindowOptions(preload, development));
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (mayOpenExternally(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event) => {
    if (!mayNavigate(event.url)) event.preventDefault();
  });
  // A server redirect and a frame's navigation are not will-navigate: each is stopped on its own.
  window.webContents.on('will-redirect', (event) => {
    if (!mayNavigate(event.url)) event.preventDefault();
  });
  window.webContents.on('will-frame-navigate', (event) => {
    if (!mayNavigateFrame(event.url, event.isMainFrame)) event.preventDefault();
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
