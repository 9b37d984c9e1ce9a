import { session } from 'electron';
import { mayGrantPermission } from '../shared/window-security.js';

/**
 * The session the window runs in grants what mayGrantPermission says, which is nothing:
 * Electron's default is to grant every permission a page asks for.
 */
export function lockDownSession(): void {
  const { defaultSession } = session;
  defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(mayGrantPermission(permission, details.requestingUrl));
  });
  defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    mayGrantPermission(permission, requestingOrigin),
  );
}
