import { spawn } from 'node:child_process';

export interface SessionRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `script` (bash) inside a private D-Bus session with an unlocked gnome-keyring: the
 * real Secret Service, as on a desktop. Needs the Debian packages gnome-keyring, dbus-x11
 * and libsecret-tools (installed by .ci/run). Only PATH, HOME and `env` are passed on.
 */
export function inKeyringSession(
  home: string,
  script: string,
  env: Record<string, string> = {},
): Promise<SessionRun> {
  const setup = `eval "$(printf 'test-password' | gnome-keyring-daemon --unlock --components=secrets --daemonize)" >/dev/null\n`;
  return new Promise((resolve, reject) => {
    const child = spawn('dbus-run-session', ['--', 'bash', '-c', setup + script], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '', HOME: home, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}
