import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentSummary } from '../../src/shared/agent-summary.js';
import { trayModel } from '../../src/shared/tray-model.js';

/** Every call the tray made to Electron, in order. */
const calls: [string, unknown][] = [];
const theme = { shouldUseDarkColors: false, updated: (): void => undefined };

// Tests never load the real electron: Tray and Menu are recorders.
vi.mock('electron', () => ({
  Tray: class {
    constructor(icon: string) {
      calls.push(['new', icon]);
    }
    setImage(icon: string) {
      calls.push(['setImage', icon]);
    }
    setToolTip(text: string) {
      calls.push(['setToolTip', text]);
    }
    setContextMenu(menu: { label?: string }[]) {
      // The status line heads the menu: it says which model was drawn.
      calls.push(['setContextMenu', menu[0]?.label]);
    }
  },
  Menu: { buildFromTemplate: (template: unknown) => template },
  nativeTheme: {
    get shouldUseDarkColors() {
      return theme.shouldUseDarkColors;
    },
    on: (_event: 'updated', listener: () => void) => {
      theme.updated = listener;
    },
  },
}));

const { AppTray } = await import('../../src/main/app-tray.js');

const idle: AgentSummary = {
  counts: { completed: 1 },
  paused: false,
  tokenRejected: [],
  offline: false,
  offlineTargets: [],
  bytesPerSecond: 0,
  recent: [],
  folders: ['/data/out'],
  missingFolders: [],
  lateExpectations: [],
};
const handlers = { action: vi.fn(), showJob: vi.fn(), openFolder: vi.fn() };
const linux = process.platform === 'linux' ? it : it.skip;

beforeEach(() => {
  calls.length = 0;
  theme.shouldUseDarkColors = false;
});

describe('AppTray', () => {
  linux('makes only the Electron calls for the parts that changed', () => {
    const tray = new AppTray('/icons', handlers);
    tray.show(trayModel(idle));
    expect(calls.map(([call]) => call)).toEqual(['new', 'setImage', 'setToolTip', 'setContextMenu']);

    calls.length = 0;
    tray.show(trayModel({ ...idle }));
    expect(calls).toEqual([]);

    const uploading = { ...idle, counts: { uploading: 1 } };
    tray.show(trayModel(uploading));
    expect(calls).toEqual([
      ['setImage', '/icons/tray/delivering-light.png'],
      ['setToolTip', 'Ferry — Delivering 1 of 1'],
      ['setContextMenu', 'Delivering 1 of 1'],
    ]);

    calls.length = 0;
    tray.show(trayModel({ ...uploading, bytesPerSecond: 1024 }));
    expect(calls.map(([call]) => call)).toEqual(['setToolTip', 'setContextMenu']);
  });

  linux('changes the icon alone when the theme turns dark', () => {
    const tray = new AppTray('/icons', handlers);
    tray.show(trayModel(idle));
    calls.length = 0;
    theme.shouldUseDarkColors = true;
    theme.updated();
    expect(calls).toEqual([['setImage', '/icons/tray/idle-dark.png']]);
  });
});
