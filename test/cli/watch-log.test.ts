import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { watchOnce } from '../support/ferry-cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * `ferry watch` removes its token from ferry.log wherever it appears, not only beside a name
 * such as `token=` (issue #16, the agents' loggers). The token is planted where the log is sure
 * to quote it: in the name of the file delivered.
 */
const TOKEN = 'plantedtoken7';
let sandbox: RunningSandbox;
const tempDir = useTempDir('watch-log');

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, token: TOKEN });
});

afterAll(async () => {
  await sandbox.close();
});

describe('the log of ferry watch', () => {
  it('holds no token, wherever the token would have been', async () => {
    const folder = await tempDir();
    const stateDir = await tempDir();
    await writeFile(join(folder, `${TOKEN}-2024-06-12-v1.csv`), 'id\n1\n');
    expect((await watchOnce(sandbox, folder, stateDir)).code).toBe(0);
    const log = await readFile(join(stateDir, 'ferry.log'), 'utf8');
    expect(log).toContain('[redacted]-2024-06-12-v1.csv');
    expect(log).not.toContain(TOKEN);
  });
});
