import { Notification } from 'electron';
import type { FerryNotification } from '../engine/notification-batcher.js';

/** Shows what the NotificationBatcher decided; a click opens the job or the filtered list. */
export function showNotification(
  notification: FerryNotification,
  open: (target: FerryNotification) => void,
): void {
  if (!Notification.isSupported()) return;
  const shown = new Notification({ title: notification.title, body: notification.body });
  shown.on('click', () => {
    open(notification);
  });
  shown.show();
}
