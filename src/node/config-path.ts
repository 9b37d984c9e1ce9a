import { posix, win32 } from 'node:path';

export interface ConfigPathContext {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir: string;
}

/**
 * The config file the desktop app edits and `ferry watch` reads when given no
 * --config: the same file, so the app and the CLI see the same folders and
 * targets. FERRY_CONFIG overrides it.
 */
export function defaultConfigPath({ platform, env, homedir }: ConfigPathContext): string {
  const override = env.FERRY_CONFIG;
  if (override !== undefined && override !== '') return override;
  if (platform === 'win32') {
    return win32.join(env.APPDATA ?? win32.join(homedir, 'AppData', 'Roaming'), 'Ferry', 'config.json');
  }
  if (platform === 'darwin')
    return posix.join(homedir, 'Library', 'Application Support', 'Ferry', 'config.json');
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg !== undefined && posix.isAbsolute(xdg) ? xdg : posix.join(homedir, '.config');
  return posix.join(base, 'ferry', 'config.json');
}
