// `npm start`: launches the tray app from the build `npm start` has just made.
// Electron's binary is downloaded from GitHub on first use; where that cannot
// happen (an offline or locked-down machine, our CI), this says so in one line
// and points at the same agent without a desktop.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));

function installedBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : undefined;
}

function fetchBinary() {
  // Quietly: its progress and stack traces are not for the person running `npm start`.
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const reason = `${result.stderr ?? ''}\n${result.error?.message ?? ''}`.match(
    /(fetch failed|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|\d{3} [A-Za-z ]+)/,
  )?.[0];
  return { binary: installedBinary(), reason: reason ?? 'the download failed' };
}

const binary = installedBinary() ?? fetchBinary();
const path = typeof binary === 'string' ? binary : binary.binary;
if (path === undefined) {
  console.error(
    `Ferry's desktop app needs the Electron binary, which could not be downloaded here (${binary.reason}); run the same agent with its window in a browser: npx ferry watch --ui`,
  );
  process.exit(1);
}
const app = spawn(path, ['.'], { stdio: 'inherit' });
app.on('exit', (code) => process.exit(code ?? 0));
