import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npm start without an Electron binary', () => {
  it('says so in one line and points at the headless agent with its window', () => {
    // A mirror that refuses connections: the download fails here whatever the machine's network.
    const result = spawnSync(process.execPath, ['scripts/start-app.mjs'], {
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/', ELECTRON_OVERRIDE_DIST_PATH: '' },
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^Ferry's desktop app needs the Electron binary, which could not be downloaded here \(.+\); .*npx ferry watch --ui$/,
    );
  });
});
