import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceFile } from './durable-file.js';

/** The file name under `autostart/`: one entry, replaced or removed, never a second one. */
export const AUTOSTART_FILE = 'ferry.desktop';

/**
 * One Exec argument as the Desktop Entry Specification wants it: quoted when it holds
 * anything the launcher would split or expand, with `"`, `` ` ``, `$` and `\` escaped inside
 * the quotes, and `%` doubled (a lone `%` starts a field code such as `%f`).
 */
export function execArgument(argument: string): string {
  const percentSafe = argument.replaceAll('%', '%%');
  if (/^[\w./+,:=@%-]+$/.test(percentSafe)) return percentSafe;
  return `"${percentSafe.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
}

/** The autostart entry that starts `command` (the app's executable, or its AppImage) at login. */
export function autostartEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Ferry',
    'Comment=Deliver data files from watched folders to the vendor',
    `Exec=${command.map(execArgument).join(' ')}`,
    'Icon=ferry',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export interface AutostartPlace {
  /** `$XDG_CONFIG_HOME`, or `~/.config` where it is unset. */
  readonly configHome: string;
  readonly command: readonly string[];
}

/**
 * Start at login on a Linux desktop: an XDG autostart entry, which GNOME, KDE, Xfce and the
 * others read at login (Electron's login-item API covers only macOS and Windows). Written
 * when the setting is on, removed when it is off; the file is only ever Ferry's own.
 */
export async function applyAutostart(startAtLogin: boolean, place: AutostartPlace): Promise<void> {
  const folder = join(place.configHome, 'autostart');
  const file = join(folder, AUTOSTART_FILE);
  if (!startAtLogin) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(folder, { recursive: true });
  await replaceFile(file, [autostartEntry(place.command)], { sync: false });
}
