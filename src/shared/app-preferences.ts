import type { NotificationMode } from './config.js';

/**
 * What the desktop app does with the settings only it uses: notifications and
 * start at login. Pure, so the Electron wiring in src/main stays a call.
 */

/** The NotificationBatcher's settings for a mode in the config (`all` when it names none). */
export function notificationSettings(mode: NotificationMode | undefined): {
  readonly enabled: boolean;
  readonly errorsOnly: boolean;
} {
  switch (mode ?? 'all') {
    case 'all':
      return { enabled: true, errorsOnly: false };
    case 'errors-only':
      return { enabled: true, errorsOnly: true };
    case 'off':
      return { enabled: false, errorsOnly: false };
  }
}

/** The argument of Electron's `app.setLoginItemSettings`. */
export interface LoginItem {
  readonly openAtLogin: boolean;
}

/**
 * The login item for the setting, or undefined where Electron has no login-item API:
 * on Linux, start at login is an XDG autostart entry (src/node/xdg-autostart.ts).
 * The app opens no window on start, so a login item needs no "hidden" flag.
 */
export function loginItem(startAtLogin: boolean | undefined, platform: string): LoginItem | undefined {
  if (platform !== 'darwin' && platform !== 'win32') return undefined;
  return { openAtLogin: startAtLogin === true };
}
