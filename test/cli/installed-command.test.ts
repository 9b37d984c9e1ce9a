import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir.js';

/**
 * `ferry` as npm installs it: bin/ferry.js run as a program, so its `#!` line decides how Node
 * starts. The heap settings there keep a watch of 1,000 small files under 100 MB (issue #15).
 */
const tempDir = useTempDir('installed-command');

describe('the installed ferry command', () => {
  it('starts Node with the heap settings of its #! line', async () => {
    const dir = await tempDir();
    const record = join(dir, 'node-start.json');
    const recorder = join(dir, 'record-start.mjs');
    await writeFile(
      recorder,
      `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(record)}, JSON.stringify(process.execArgv));
`,
    );
    const run = spawnSync('bin/ferry.js', ['--help'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: `--import ${recorder}` },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('Usage: ferry');
    const execArgv = JSON.parse(await readFile(record, 'utf8')) as string[];
    expect(execArgv).toEqual(
      expect.arrayContaining(['--max-semi-space-size=1', '--heap-growing-percent=50']),
    );
  });
});
