import { inFlight, needingAttention, pending, type AgentSummary } from './agent-summary.js';
import { expectationLine } from './expectations.js';
import { formatBytes } from './format-bytes.js';

export type TrayState = 'idle' | 'delivering' | 'paused' | 'offline' | 'attention';

export type TrayAction = 'open' | 'pause' | 'resume' | 'upload-file' | 'settings' | 'quit';

export type TrayMenuItem =
  | { readonly kind: 'status'; readonly label: string }
  | { readonly kind: 'action'; readonly action: TrayAction; readonly label: string }
  | { readonly kind: 'show-job'; readonly jobId: string; readonly label: string }
  | { readonly kind: 'open-folder'; readonly folder: string; readonly label: string }
  | { readonly kind: 'separator' };

export interface TrayModel {
  readonly state: TrayState;
  /** The number drawn on the icon: files in flight, or files needing attention. */
  readonly badge: number;
  readonly tooltip: string;
  readonly menu: readonly TrayMenuItem[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * What the tray shows. Attention comes first: a refused token, a watched folder that is not
 * there, a late expected file or a failed file is what a person must not miss; then paused,
 * offline, delivering, idle.
 */
export function trayState(summary: AgentSummary): TrayState {
  if (
    summary.tokenRejected.length > 0 ||
    summary.missingFolders.length > 0 ||
    summary.lateExpectations.length > 0 ||
    needingAttention(summary) > 0
  )
    return 'attention';
  if (summary.paused) return 'paused';
  if (summary.offline && pending(summary) > 0) return 'offline';
  return pending(summary) > 0 ? 'delivering' : 'idle';
}

/**
 * One line for the tray and the window. Of the problems, a refused token comes first (it stops
 * every folder of its target), then a missing folder (nothing else says so: its new files make
 * no rows), then a late expected file (what the people who run a feed ask first: did today's
 * go out?), then failed files (each has its row in the window).
 */
export function statusLine(summary: AgentSummary): string {
  const attention = needingAttention(summary);
  const [missing, ...moreMissing] = summary.missingFolders;
  if (summary.tokenRejected.length > 0) return `Token rejected for ${summary.tokenRejected.join(', ')}`;
  if (missing !== undefined)
    return moreMissing.length === 0
      ? `Folder missing: ${missing}`
      : `${1 + moreMissing.length} folders missing`;
  const [late, ...moreLate] = summary.lateExpectations;
  if (late !== undefined)
    return moreLate.length === 0 ? expectationLine(late) : `${1 + moreLate.length} expected files are late`;
  if (attention > 0) return `${plural(attention, 'file')} ${attention === 1 ? 'needs' : 'need'} attention`;
  if (summary.paused) return `Paused · ${plural(pending(summary), 'file')} waiting`;
  if (summary.offline && pending(summary) > 0) {
    const targets = summary.offlineTargets.length > 0 ? ` for ${summary.offlineTargets.join(', ')}` : '';
    return `Offline — waiting${targets} (${plural(pending(summary), 'file')})`;
  }
  if (pending(summary) === 0) {
    // "All delivered" before anything was set up or arrived would claim work that never happened.
    if (summary.folders.length === 0) return 'No folder watched yet';
    return Object.values(summary.counts).some((n) => n > 0)
      ? 'All delivered'
      : 'Watching — nothing to deliver yet';
  }
  const rate = summary.bytesPerSecond > 0 ? ` · ${formatBytes(summary.bytesPerSecond)}/s` : '';
  return `Delivering ${inFlight(summary)} of ${pending(summary)}${rate}`;
}

const RECENT_IN_MENU = 5;

export function trayModel(summary: AgentSummary): TrayModel {
  const state = trayState(summary);
  const status = statusLine(summary);
  const recent: TrayMenuItem[] = summary.recent
    .slice(0, RECENT_IN_MENU)
    .map((r) => ({ kind: 'show-job', jobId: r.jobId, label: r.file }));
  const folders: TrayMenuItem[] = summary.folders.map((folder) => ({
    kind: 'open-folder',
    folder,
    label: summary.folders.length === 1 ? 'Open watched folder' : `Open ${folder}`,
  }));
  return {
    state,
    badge:
      state === 'attention'
        ? needingAttention(summary) + summary.lateExpectations.length
        : state === 'delivering'
          ? inFlight(summary)
          : 0,
    tooltip: `Ferry — ${status}`,
    menu: [
      { kind: 'status', label: status },
      { kind: 'action', action: 'open', label: 'Open Ferry' },
      summary.paused
        ? { kind: 'action', action: 'resume', label: 'Resume' }
        : { kind: 'action', action: 'pause', label: 'Pause' },
      ...(recent.length > 0 ? [{ kind: 'separator' } as const, ...recent] : []),
      { kind: 'separator' },
      ...folders,
      { kind: 'action', action: 'upload-file', label: 'Upload a file…' },
      { kind: 'action', action: 'settings', label: 'Settings…' },
      { kind: 'separator' },
      { kind: 'action', action: 'quit', label: 'Quit Ferry' },
    ],
  };
}

/**
 * The tray is redrawn at most 4 times a second (see CoalescedView). Agent events come by the
 * hundred a second while files upload, and each redraw summarises every job and may load an
 * icon and rebuild the native menu; a person reads the tray no faster than this, and a
 * quarter of a second still feels immediate when a failure or a pause appears.
 */
export const TRAY_REFRESH_MS = 250;

/** Menu items are flat records of strings (the compiler holds them to it): equal when every field is. */
function sameItem(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function sameMenu(a: readonly TrayMenuItem[], b: readonly TrayMenuItem[]): boolean {
  return (
    a.length === b.length &&
    a.every((item, i) => {
      const other = b[i];
      return other !== undefined && sameItem(item, other);
    })
  );
}

/** Whether two models show the same: an unchanged model is not shown again. */
export function sameTrayModel(a: TrayModel, b: TrayModel): boolean {
  return a.state === b.state && a.badge === b.badge && a.tooltip === b.tooltip && sameMenu(a.menu, b.menu);
}

/** What the tray shows, as the OS holds it: an icon file, a tooltip, a menu. */
export interface TrayFace {
  readonly icon: string;
  readonly tooltip: string;
  readonly menu: readonly TrayMenuItem[];
}

/**
 * The parts of the tray to redraw to go from `shown` (undefined before the first) to `next`:
 * loading an icon file and rebuilding the native menu are the costly calls, so an unchanged
 * part is left alone.
 */
export function trayRedraw(shown: TrayFace | undefined, next: TrayFace): Partial<TrayFace> {
  return {
    ...(shown?.icon === next.icon ? {} : { icon: next.icon }),
    ...(shown?.tooltip === next.tooltip ? {} : { tooltip: next.tooltip }),
    ...(shown !== undefined && sameMenu(shown.menu, next.menu) ? {} : { menu: next.menu }),
  };
}

export type TrayPlatform = 'darwin' | 'win32' | 'linux';

/**
 * The icon file for a state. macOS draws template images itself in light and
 * dark menu bars; Windows wants .ico; Linux trays get a light or dark variant.
 */
export function trayIconFile(state: TrayState, platform: TrayPlatform, darkTray: boolean): string {
  switch (platform) {
    case 'darwin':
      return `tray/${state}Template.png`;
    case 'win32':
      return `tray/${state}.ico`;
    case 'linux':
      return `tray/${state}-${darkTray ? 'dark' : 'light'}.png`;
  }
}
