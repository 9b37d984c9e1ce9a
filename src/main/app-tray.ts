import { Menu, nativeTheme, Tray, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { TrayAction, TrayFace, TrayMenuItem, TrayModel, TrayPlatform } from '../shared/tray-model.js';
import { trayIconFile, trayRedraw } from '../shared/tray-model.js';

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

/**
 * The tray icon and menu, redrawn from a TrayModel (src/shared/tray-model.ts decides
 * everything, trayRedraw which parts are worth an Electron call).
 */
export class AppTray {
  private readonly tray: Tray;
  private face: TrayFace | undefined;
  private model: TrayModel | undefined;

  constructor(
    private readonly iconsDir: string,
    private readonly handlers: TrayHandlers,
  ) {
    this.tray = new Tray(this.icon('idle'));
    // Linux trays have a light and a dark icon: a theme change is a new icon file.
    nativeTheme.on('updated', () => {
      if (this.model !== undefined) this.show(this.model);
    });
  }

  show(model: TrayModel): void {
    const next: TrayFace = { icon: this.icon(model.state), tooltip: model.tooltip, menu: model.menu };
    const redraw = trayRedraw(this.face, next);
    this.model = model;
    this.face = next;
    if (redraw.icon !== undefined) this.tray.setImage(redraw.icon);
    if (redraw.tooltip !== undefined) this.tray.setToolTip(redraw.tooltip);
    if (redraw.menu !== undefined)
      this.tray.setContextMenu(
        Menu.buildFromTemplate(redraw.menu.map((item) => menuItem(item, this.handlers))),
      );
  }

  private icon(state: TrayModel['state']): string {
    const platform = (
      ['darwin', 'win32'].includes(process.platform) ? process.platform : 'linux'
    ) as TrayPlatform;
    return join(this.iconsDir, trayIconFile(state, platform, nativeTheme.shouldUseDarkColors));
  }
}
