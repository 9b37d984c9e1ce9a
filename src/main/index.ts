import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, powerMonitor, shell, type BrowserWindow } from 'electron';
import { CoalescedView } from '../engine/coalesced-view.js';
import { NotificationBatcher } from '../engine/notification-batcher.js';
import { startAgentRuntime, type AgentRuntime } from '../node/agent-runtime.js';
import { readConfig } from '../node/config-file.js';
import { defaultConfigPath } from '../node/config-path.js';
import { openAgentLog } from '../node/agent-log.js';
import { ensureStateDir, resolveStateDir } from '../node/state-dir.js';
import { systemClock } from '../node/system-clock.js';
import { TokenStore } from '../node/token-store.js';
import type { SettingsStore } from '../node/settings-store.js';
import { applyAutostart } from '../node/xdg-autostart.js';
import { loginItem, notificationSettings } from '../shared/app-preferences.js';
import type { FerryConfig } from '../engine/config/config-schema.js';
import { DEFAULT_CONCURRENCY } from '../shared/config.js';
import { sameTrayModel, TRAY_REFRESH_MS, trayModel, type TrayModel } from '../shared/tray-model.js';
import { declareAppScheme, serveRenderer } from './app-protocol.js';
import { showNotification } from './app-notifications.js';
import { lockDownSession } from './app-session.js';
import { openAppSettingsStore } from './app-settings-store.js';
import { AppTray } from './app-tray.js';
import { openAppWindow } from './app-window.js';
import { serveContract } from './ipc.js';

/**
 * The tray app's composition root: wiring only. The engine runs here, the
 * window shows it through the contract, the tray and notifications follow it.
 * Every decision is made by a tested function in src/shared or src/engine.
 */
const APP_ID = 'io.ferry.agent';
const here = dirname(fileURLToPath(import.meta.url));
const development = !app.isPackaged;

function loadConfig(store: SettingsStore): FerryConfig {
  // No config yet: the window's first-run setup writes one.
  if (!existsSync(store.path)) return { targets: {}, folders: [] };
  return readConfig(store);
}

async function start(): Promise<void> {
  app.setAppUserModelId(APP_ID);
  lockDownSession();
  serveRenderer(join(here, '..', 'renderer'));
  const context = { platform: process.platform, env: process.env, homedir: homedir(), cwd: process.cwd() };
  const stateDir = await ensureStateDir(resolveStateDir(context));
  let window: BrowserWindow | undefined;
  const showWindow = () => {
    if (window === undefined || window.isDestroyed())
      window = openAppWindow(join(here, '..', 'preload', 'index.cjs'), development);
    window.show();
    window.focus();
  };
  // Every token the agent reads is removed from its log wherever it appears.
  const { logger, secrets } = await openAgentLog(stateDir, new TokenStore());
  // The same file `ferry watch` uses; electron-store reads and writes it, never on its own.
  const settingsStore = openAppSettingsStore(defaultConfigPath(context));
  // The settings only the app uses; the window saves them into the config file and we follow.
  let preferences = loadConfig(settingsStore);
  const followLoginItem = (config: FerryConfig) => {
    const item = loginItem(config.startAtLogin, process.platform);
    if (item !== undefined) app.setLoginItemSettings(item);
    if (process.platform !== 'linux') return;
    // An AppImage runs from a mount that changes every start: autostart must name the image.
    const command = [process.env.APPIMAGE ?? process.execPath];
    const configHome = process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
    applyAutostart(config.startAtLogin === true, { configHome, command }).catch((error: unknown) => {
      logger.warn({ error: String(error) }, 'start at login could not be set');
    });
  };
  followLoginItem(preferences);
  const notifications = new NotificationBatcher(
    systemClock,
    () => notificationSettings(preferences.notifications),
    (n) => {
      showNotification(n, showWindow);
    },
  );
  let runtime: AgentRuntime | undefined;
  // Follows the agent from its first summary on: events before that are in the first one.
  let trayView: CoalescedView<TrayModel> | undefined;
  const tray = new AppTray(join(process.resourcesPath, 'tray'), {
    action: (action) => {
      switch (action) {
        case 'open':
        case 'settings':
        case 'upload-file':
          showWindow();
          return;
        case 'pause':
          runtime?.agent.pause();
          return;
        case 'resume':
          runtime?.agent.resume();
          return;
        case 'quit':
          app.quit();
          return;
      }
    },
    showJob: showWindow,
    openFolder: (folder) => void shell.openPath(folder),
  });
  runtime = await startAgentRuntime({
    stateDir,
    config: preferences,
    concurrency: preferences.concurrency ?? DEFAULT_CONCURRENCY,
    settingsStore,
    desktop: true,
    showInFolder: (path) => {
      shell.showItemInFolder(path);
    },
    onConfigChanged: (config) => {
      preferences = config;
      followLoginItem(config);
      // The menu lists the watched folders.
      trayView?.changed();
    },
    logger,
    secrets,
    onEvent: (event) => {
      if (event.type === 'job') {
        const { state, id, path } = event.job;
        if (state.status === 'completed') {
          const superseded = event.job.superseded?.map((s) => s.remoteId) ?? [];
          notifications.record({
            type: 'completed',
            jobId: id,
            file: path,
            superseded,
            ...(state.statistics === undefined ? {} : { statistics: state.statistics }),
          });
        }
        if (state.status === 'failed')
          notifications.record({ type: 'failed', jobId: id, file: path, reason: state.error.message });
        if (state.status === 'rejected')
          notifications.record({ type: 'rejected', jobId: id, file: path, reason: state.reason });
      }
      if (event.type === 'expectation') notifications.record({ type: 'expectation', status: event.status });
      trayView?.changed();
    },
  });
  serveContract(runtime.service, () => window?.webContents);
  const { service } = runtime;
  trayView = new CoalescedView(
    systemClock,
    () => trayModel(service.summary()),
    (model) => {
      tray.show(model);
    },
    { intervalMs: TRAY_REFRESH_MS, same: sameTrayModel },
  );
  trayView.changed();
  // The OS says when it sleeps and wakes; the engine decides what a wake means (see SleepWatch).
  // Not pause/resume: those are the user's, and a wake must not undo a pause the user chose.
  powerMonitor.on('suspend', () => {
    runtime?.sleep.suspended();
  });
  powerMonitor.on('resume', () => {
    runtime?.sleep.resumed();
  });
  // A second launch hands over to this one, which shows its window.
  app.on('second-instance', showWindow);
  app.on('before-quit', (event) => {
    if (runtime === undefined) return;
    event.preventDefault();
    const closing = runtime;
    runtime = undefined;
    trayView?.close();
    trayView = undefined;
    notifications.flush();
    void closing.close().finally(() => {
      app.exit(0);
    });
  });
}

declareAppScheme();
if (app.requestSingleInstanceLock()) {
  // Closing the window leaves the agent running in the tray.
  app.on('window-all-closed', () => undefined);
  void app.whenReady().then(start);
} else {
  app.quit();
}
