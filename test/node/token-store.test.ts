import { describe, expect, it } from 'vitest';
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
        "no keyring is reachable to read the token of target 'lexer' (DBus error: no session bus); set FERRY_TOKEN instead",
    });
    await expect(store.save('lexer', 'x')).rejects.toThrow(/^no keyring is reachable to save the token/);
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
