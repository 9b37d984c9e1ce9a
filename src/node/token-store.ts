import { AsyncEntry } from '@napi-rs/keyring';
import { DeliveryError } from '../engine/delivery-error.js';
import type { SecretStore } from '../engine/ports.js';

/** The keyring service under which every target's token is stored, one entry per target. */
export const KEYRING_SERVICE = 'ferry';

export interface KeyringEntry {
  getPassword(): Promise<string | null>;
  setPassword(password: string): Promise<void>;
}

export type KeyringOpener = (service: string, account: string) => KeyringEntry;

/**
 * On Linux the entry is pinned to the Secret Service: the library would otherwise fall back
 * to the kernel keyring, which forgets everything at logout, so a token "saved" there would
 * silently vanish — and an unreachable Secret Service would read as "no token" instead of
 * "no keyring".
 */
export const openKeyring: KeyringOpener = (service, account) =>
  new AsyncEntry(service, account, { linux: { store: 'secret-service' } });

export interface TokenStoreOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly keyring?: KeyringOpener;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Tokens come from FERRY_TOKEN first (CI, containers, one-off runs), else from the OS
 * keyring entry of the target. Nothing here writes a token anywhere but the keyring.
 */
export class TokenStore implements SecretStore {
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #open: KeyringOpener;

  constructor(options: TokenStoreOptions = {}) {
    this.#env = options.env ?? process.env;
    this.#open = options.keyring ?? openKeyring;
  }

  async token(target: string): Promise<string> {
    const fromEnv = this.#env.FERRY_TOKEN?.trim();
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    let stored: string | null;
    try {
      stored = await this.#open(KEYRING_SERVICE, target).getPassword();
    } catch (error) {
      throw new DeliveryError(
        'no-token',
        `no keyring is reachable to read the token of target '${target}' (${reason(error)}); set FERRY_TOKEN instead`,
      );
    }
    if (stored === null || stored === '') {
      throw new DeliveryError(
        'no-token',
        `no token for target '${target}': set FERRY_TOKEN or store one in the keyring (service '${KEYRING_SERVICE}', account '${target}')`,
      );
    }
    return stored;
  }

  /** Saves a token in the keyring; there is deliberately no way to save it anywhere else. */
  async save(target: string, token: string): Promise<void> {
    try {
      await this.#open(KEYRING_SERVICE, target).setPassword(token);
    } catch (error) {
      throw new DeliveryError(
        'no-token',
        `no keyring is reachable to save the token of target '${target}' (${reason(error)})`,
      );
    }
  }
}
