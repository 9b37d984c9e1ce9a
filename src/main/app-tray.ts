import { Menu, nativeTheme, Tray, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { TrayAction, TrayMenuItem, TrayModel, TrayPlatform } from '../shared/tray-model.js';
import { trayIconFile } from '../shared/tray-model.js';

export interface TrayHandlers {
  readonly action: (action: TrayAction) => void;
  readonly showJob: (jobId: string) => void;
  readonly openFolder: (folder: string) => void;
}

function menuItem(item: TrayMenuItem, handlers: TrayHandlers): MenuItemConstructorOptions {
  switch (item.kind) {
    case 'status':
      return { label: item.label, enabled: false };
    case 'separator':
      return { type: 'separator' };
    case 'action':
      return {
        label: item.label,
        click: () => {
          handlers.action(item.action);
        },
      };
    case 'show-job':
      return {
        label: item.label,
        click: () => {
          handlers.showJob(item.jobId);
        },
      };
    case 'open-folder':
      return {
        label: item.label,
        click: () => {
          handlers.openFolder(item.folder);
        },
      };
  }
}

/** The tray icon and menu, redrawn from a TrayModel (src/shared/tray-model.ts decides everything). */
export class AppTray {
  private readonly tray: Tray;

  constructor(
    private readonly iconsDir: string,
    private readonly handlers: TrayHandlers,
  ) {
    this.tray = new Tray(this.icon('idle'));
  }

  show(model: TrayModel): void {
    this.tray.setImage(this.icon(model.state));
    this.tray.setToolTip(model.tooltip);
    this.tray.setContextMenu(Menu.buildFromTemplate(model.menu.map((item) => menuItem(item, this.handlers))));
  }

  private icon(state: TrayModel['state']): string {
    const platform = (
      ['darwin', 'win32'].includes(process.platform) ? process.platform : 'linux'
    ) as TrayPlatform;
    return join(this.iconsDir, trayIconFile(state, platform, nativeTheme.shouldUseDarkColors));
  }
}
