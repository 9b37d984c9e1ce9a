import { inFlight, needingAttention, pending, type AgentSummary } from './agent-summary.js';
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
 * What the tray shows. Attention comes first: a refused token or a failed
 * file is what a person must not miss; then paused, offline, delivering, idle.
 */
export function trayState(summary: AgentSummary): TrayState {
  if (summary.tokenRejected.length > 0 || needingAttention(summary) > 0) return 'attention';
  if (summary.paused) return 'paused';
  if (summary.offline && pending(summary) > 0) return 'offline';
  return pending(summary) > 0 ? 'delivering' : 'idle';
}

export function statusLine(summary: AgentSummary): string {
  const attention = needingAttention(summary);
  if (summary.tokenRejected.length > 0) return `Token rejected for ${summary.tokenRejected.join(', ')}`;
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
    badge: state === 'attention' ? needingAttention(summary) : state === 'delivering' ? inFlight(summary) : 0,
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
