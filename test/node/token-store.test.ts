import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/engine/delivery-error.js';
import { openKeyring, TokenStore, type KeyringEntry } from '../../src/node/token-store.js';

function memoryKeyring(initial: Record<string, string> = {}) {
  const store = new Map(Object.entries(initial));
  const opened: string[] = [];
  const open = (service: string, account: string): KeyringEntry => {
    opened.push(`${service}/${account}`);
    return {
      getPassword: () => Promise.resolve(store.get(`${service}/${account}`) ?? null),
      setPassword: (password) => {
        store.set(`${service}/${account}`, password);
        return Promise.resolve();
      },
    };
  };
  return { open, opened, store };
}

const unreachable = () => ({
  getPassword: () => Promise.reject(new Error('DBus error: no session bus')),
  setPassword: () => Promise.reject(new Error('DBus error: no session bus')),
});

describe('TokenStore', () => {
  it('takes FERRY_TOKEN first, without touching the keyring', async () => {
    const keyring = memoryKeyring({ 'ferry/lexer': 'from-keyring' });
    const store = new TokenStore({ env: { FERRY_TOKEN: ' from-env ' }, keyring: keyring.open });
    expect(await store.token('lexer')).toBe('from-env');
    expect(keyring.opened).toEqual([]);
  });

  it("reads the target's own keyring entry otherwise", async () => {
    const keyring = memoryKeyring({ 'ferry/lexer': 'from-keyring' });
    const store = new TokenStore({ env: { FERRY_TOKEN: '' }, keyring: keyring.open });
    expect(await store.token('lexer')).toBe('from-keyring');
    expect(keyring.opened).toEqual(['ferry/lexer']);
  });

  it('says how to provide a token when there is none', async () => {
    const store = new TokenStore({ env: {}, keyring: memoryKeyring().open });
    const error = await store.token('lexer').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({
      kind: 'no-token',
      message:
        "no token for target 'lexer': set FERRY_TOKEN or store one in the keyring (service 'ferry', account 'lexer')",
    });
  });

  it('says clearly when no keyring is reachable', async () => {
    const store = new TokenStore({ env: {}, keyring: unreachable });
    await expect(store.token('lexer')).rejects.toMatchObject({
      kind: 'no-token',
      message:
        "no keyring is reachable to read the token of target 'lexer' (DBus error: no session bus): set FERRY_TOKEN, or put the token alone in a file only you can read (chmod 600) and set FERRY_TOKEN_FILE to its path",
    });
    await expect(store.save('lexer', 'x')).rejects.toThrow(
      /^no keyring is reachable to save the token of target 'lexer' \(DBus error: no session bus\), and Ferry never writes a token to a file: set FERRY_TOKEN, or .* FERRY_TOKEN_FILE/,
    );
  });

  it('saves into the keyring entry of the target', async () => {
    const keyring = memoryKeyring();
    await new TokenStore({ env: {}, keyring: keyring.open }).save('lexer', 'new-token');
    expect(keyring.store.get('ferry/lexer')).toBe('new-token');
  });

  it('reports a real unreachable Secret Service as "no keyring", not as "no token"', async () => {
    const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/ferry-test-bus';
    try {
      const store = new TokenStore({ env: {}, keyring: openKeyring });
      await expect(store.token('ferry-test-target')).rejects.toThrow(/^no keyring is reachable/);
    } finally {
      if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    }
  });
});

describe('TokenStore with FERRY_TOKEN_FILE', () => {
  let dir = '';

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-token-store-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function tokenFile(text: string, mode: number): Promise<string> {
    const path = join(dir, 'token');
    await writeFile(path, text, { mode });
    await chmod(path, mode);
    return path;
  }

  it('comes after FERRY_TOKEN and before the keyring', async () => {
    const file = await tokenFile('from-file\n', 0o600);
    const keyring = memoryKeyring({ 'ferry/lexer': 'from-keyring' });
    const both = new TokenStore({
      env: { FERRY_TOKEN: 'from-env', FERRY_TOKEN_FILE: file },
      keyring: keyring.open,
    });
    expect(await both.lookup('lexer')).toEqual({ status: 'found', token: 'from-env', source: 'FERRY_TOKEN' });
    const fileOnly = new TokenStore({ env: { FERRY_TOKEN_FILE: file }, keyring: keyring.open });
    expect(await fileOnly.lookup('lexer')).toEqual({
      status: 'found',
      token: 'from-file',
      source: 'FERRY_TOKEN_FILE',
    });
    expect(await fileOnly.token('lexer')).toBe('from-file');
    expect(keyring.opened).toEqual([]);
  });

  it('works without any keyring', async () => {
    const file = await tokenFile('from-file\n', 0o400);
    const store = new TokenStore({ env: { FERRY_TOKEN_FILE: file }, keyring: unreachable });
    expect(await store.token('lexer')).toBe('from-file');
  });

  it('refuses a file others can read, without falling back to the keyring, and never quotes it', async () => {
    const file = await tokenFile('file-token-SECRET\n', 0o644);
    const keyring = memoryKeyring({ 'ferry/lexer': 'from-keyring' });
    const store = new TokenStore({ env: { FERRY_TOKEN_FILE: file }, keyring: keyring.open });
    const error = await store.token('lexer').catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'no-token',
      message: `the token file is refused: FERRY_TOKEN_FILE ${file} has mode 0644, so others can read it: run chmod 600 '${file}'`,
    });
    expect((error as Error).message).not.toContain('SECRET');
    expect(keyring.opened).toEqual([]);
  });

  it('saves only to the keyring, never to the file', async () => {
    const file = await tokenFile('from-file\n', 0o600);
    const keyring = memoryKeyring();
    await new TokenStore({ env: { FERRY_TOKEN_FILE: file }, keyring: keyring.open }).save('lexer', 'new');
    expect(keyring.store.get('ferry/lexer')).toBe('new');
    expect(await readFile(file, 'utf8')).toBe('from-file\n');
    await expect(
      new TokenStore({ env: { FERRY_TOKEN_FILE: file }, keyring: unreachable }).save('lexer', 'new'),
    ).rejects.toThrow(/Ferry never writes a token to a file/);
    expect(await readFile(file, 'utf8')).toBe('from-file\n');
  });
});
