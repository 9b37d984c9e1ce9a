import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, powerMonitor, shell, type BrowserWindow } from 'electron';
import { NotificationBatcher } from '../engine/notification-batcher.js';
import { startAgentRuntime, type AgentRuntime } from '../node/agent-runtime.js';
import { readConfigFile } from '../node/config-file.js';
import { defaultConfigPath } from '../node/config-path.js';
import { createLogger } from '../node/logger.js';
import { openLogFile } from '../node/log-file.js';
import { ensureStateDir, resolveStateDir } from '../node/state-dir.js';
import { systemClock } from '../node/system-clock.js';
import { TokenStore } from '../node/token-store.js';
import type { FerryConfig } from '../shared/config.js';
import { trayModel } from '../shared/tray-model.js';
import { declareAppScheme, serveRenderer } from './app-protocol.js';
import { showNotification } from './app-notifications.js';
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

async function loadConfig(path: string): Promise<FerryConfig> {
  // No config yet: the window's first-run setup writes one.
  if (!existsSync(path)) return { targets: {}, folders: [] };
  return readConfigFile(path);
}

async function start(): Promise<void> {
  app.setAppUserModelId(APP_ID);
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
  const notifications = new NotificationBatcher(
    systemClock,
    () => ({ enabled: true, errorsOnly: false }),
    (n) => {
      showNotification(n, showWindow);
    },
  );
  let runtime: AgentRuntime | undefined;
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
    config: await loadConfig(defaultConfigPath(context)),
    concurrency: 4,
    logger: createLogger({ destination: await openLogFile(stateDir) }),
    secrets: new TokenStore(),
    onEvent: (event) => {
      if (event.type === 'job') {
        const { state, id, path } = event.job;
        if (state.status === 'completed') notifications.record({ type: 'completed', jobId: id, file: path });
        if (state.status === 'failed')
          notifications.record({ type: 'failed', jobId: id, file: path, reason: state.error.message });
        if (state.status === 'rejected')
          notifications.record({ type: 'rejected', jobId: id, file: path, reason: state.reason });
      }
      if (runtime !== undefined) tray.show(trayModel(runtime.service.summary()));
    },
  });
  serveContract(runtime.service, () => window?.webContents);
  tray.show(trayModel(runtime.service.summary()));
  // Sleep aborts uploads mid-flight; pausing checkpoints them and resuming asks for fresh URLs.
  powerMonitor.on('suspend', () => {
    runtime?.agent.pause();
  });
  powerMonitor.on('resume', () => {
    runtime?.agent.resume();
  });
  // A second launch hands over to this one, which shows its window.
  app.on('second-instance', showWindow);
  app.on('before-quit', (event) => {
    if (runtime === undefined) return;
    event.preventDefault();
    const closing = runtime;
    runtime = undefined;
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
