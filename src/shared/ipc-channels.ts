/**
 * The only two IPC channels: one carries every contract command (name and
 * arguments, checked by the main process), the other every contract event.
 * No other channel exists, so the preload cannot be made to forward one.
 */
export const COMMAND_CHANNEL = 'ferry:command';
export const EVENT_CHANNEL = 'ferry:event';

/** What the preload exposes as `window.ferry`: exactly the contract, nothing of Node or Electron. */
export const BRIDGE_KEY = 'ferry';
