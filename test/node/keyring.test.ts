import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inKeyringSession } from '../support/keyring-session.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';

const SAVE = `node --input-type=module -e "
  import { TokenStore } from './dist/node/token-store.js';
  await new TokenStore({ env: {} }).save(process.env.TARGET, process.env.TOKEN_TO_SAVE);
"`;

let home = '';
let sandbox: RunningSandbox | undefined;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'ferry-keyring-'));
});

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
  await rm(home, { recursive: true, force: true });
});

describe('tokens in the real Secret Service', () => {
  it('saves a token under service "ferry", account <target>, and reads it back after FERRY_TOKEN and FERRY_TOKEN_FILE', async () => {
    const run = await inKeyringSession(
      home,
      `${SAVE}
      secret-tool lookup service ferry username lexer; echo
      printf 'from-file\\n' > "$HOME/token" && chmod 600 "$HOME/token"
      node --input-type=module -e "
        import { TokenStore } from './dist/node/token-store.js';
        const file = process.env.HOME + '/token';
        console.log('read:' + await new TokenStore({ env: {} }).token('lexer'));
        console.log('file:' + await new TokenStore({ env: { FERRY_TOKEN_FILE: file } }).token('lexer'));
        console.log('env:' + await new TokenStore({ env: { FERRY_TOKEN: 'from-env', FERRY_TOKEN_FILE: file } }).token('lexer'));
      "`,
      { TARGET: 'lexer', TOKEN_TO_SAVE: 'kr-token-0123456789' },
    );
    expect(run.code).toBe(0);
    // The order of precedence: FERRY_TOKEN, then FERRY_TOKEN_FILE, then the keyring.
    expect(run.stdout).toBe('kr-token-0123456789\nread:kr-token-0123456789\nfile:from-file\nenv:from-env\n');
  });

  it('lets `ferry upload` deliver with the token from the keyring alone', async () => {
    sandbox = await startSandbox({ port: 0, log: () => undefined });
    const dir = join(home, 'work');
    await mkdir(join(dir, 'out'), { recursive: true });
    const file = join(dir, 'out', 'customers-2024-01-31-v1.csv');
    await writeFile(file, 'id\n1\n');
    const config = join(dir, 'ferry.json');
    await writeFile(
      config,
      JSON.stringify({
        targets: { lexer: { profile: 'lexer', endpoint: `${sandbox.endpoint}/v1/uploads` } },
        folders: [{ path: 'out', target: 'lexer' }],
      }),
    );
    const run = await inKeyringSession(
      home,
      `${SAVE}\nnode bin/ferry.js upload --config "${config}" "${file}"`,
      {
        TARGET: 'lexer',
        TOKEN_TO_SAVE: sandbox.token,
      },
    );
    expect(run.stdout).toContain(`✓ delivered  ${file}`);
    expect(run.code).toBe(0);
    expect((await sandbox.deliveries()).map((d) => d.filename)).toEqual(['customers-2024-01-31-v1.csv']);
  });
});
