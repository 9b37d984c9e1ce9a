import type { AsyncEntry } from '@napi-rs/keyring';
import { DeliveryError } from '../engine/delivery-error.js';
import type { SecretStore } from '../engine/ports.js';
import { assertNever } from '../shared/assert-never.js';
import { readTokenFile } from './token-file.js';

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
export const openKeyring: KeyringOpener = (service, account) => {
  const entry = async () => {
    const Entry = await keyringEntryClass();
    return new Entry(service, account, { linux: { store: 'secret-service' } });
  };
  return {
    getPassword: async () => (await entry()).getPassword(),
    setPassword: async (password) => (await entry()).setPassword(password),
  };
};

let entryClass: Promise<typeof AsyncEntry> | undefined;

/**
 * The native keyring module, loaded on first use: it costs about 10 MiB of resident memory,
 * which a run given FERRY_TOKEN (CI, `ferry upload` in a script) never needs.
 */
function keyringEntryClass(): Promise<typeof AsyncEntry> {
  entryClass ??= import('@napi-rs/keyring').then((module) => module.AsyncEntry);
  return entryClass;
}

export interface TokenStoreOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly keyring?: KeyringOpener;
}

/**
 * The two ways to give a token where no keyring is reachable, in the words every
 * place that needs one uses (upload, watch, `token set`, the window, doctor).
 */
export const WITHOUT_KEYRING =
  'set FERRY_TOKEN, or put the token alone in a file only you can read (chmod 600) and set FERRY_TOKEN_FILE to its path';

/** Where a token was found, in the order they are tried. */
export type TokenSource = 'FERRY_TOKEN' | 'FERRY_TOKEN_FILE' | 'keyring';

export type TokenLookup =
  | { readonly status: 'found'; readonly token: string; readonly source: TokenSource }
  /** FERRY_TOKEN_FILE names a file Ferry refuses; the keyring is not consulted behind it. */
  | { readonly status: 'bad-file'; readonly message: string }
  | { readonly status: 'no-keyring'; readonly reason: string }
  | { readonly status: 'none' };

function reason(error: unknown): string {
  // The Secret Service's errors can span lines; each place that reports them has one line.
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/**
 * Tokens come from FERRY_TOKEN first (CI, containers, one-off runs), then from the file
 * FERRY_TOKEN_FILE names (a machine without a keyring), else from the OS keyring entry of
 * the target. Nothing here writes a token anywhere but the keyring.
 */
export class TokenStore implements SecretStore {
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #open: KeyringOpener;

  constructor(options: TokenStoreOptions = {}) {
    this.#env = options.env ?? process.env;
    this.#open = options.keyring ?? openKeyring;
  }

  /** Where the token of `target` comes from, or why there is none; never throws. */
  async lookup(target: string): Promise<TokenLookup> {
    const fromEnv = nonEmpty(this.#env.FERRY_TOKEN);
    if (fromEnv !== undefined) return { status: 'found', token: fromEnv, source: 'FERRY_TOKEN' };
    const file = nonEmpty(this.#env.FERRY_TOKEN_FILE);
    if (file !== undefined) {
      const read = await readTokenFile(file);
      return read.ok
        ? { status: 'found', token: read.token, source: 'FERRY_TOKEN_FILE' }
        : { status: 'bad-file', message: `FERRY_TOKEN_FILE ${file} ${read.problem}` };
    }
    try {
      const stored = await this.#open(KEYRING_SERVICE, target).getPassword();
      return stored === null || stored === ''
        ? { status: 'none' }
        : { status: 'found', token: stored, source: 'keyring' };
    } catch (error) {
      return { status: 'no-keyring', reason: reason(error) };
    }
  }

  async token(target: string): Promise<string> {
    const found = await this.lookup(target);
    switch (found.status) {
      case 'found':
        return found.token;
      case 'bad-file':
        throw new DeliveryError('no-token', `the token file is refused: ${found.message}`);
      case 'no-keyring':
        throw new DeliveryError(
          'no-token',
          `no keyring is reachable to read the token of target '${target}' (${found.reason}): ${WITHOUT_KEYRING}`,
        );
      case 'none':
        throw new DeliveryError(
          'no-token',
          `no token for target '${target}': set FERRY_TOKEN or store one in the keyring (service '${KEYRING_SERVICE}', account '${target}')`,
        );
      default:
        return assertNever(found);
    }
  }

  /**
   * Rejects, as `save` would, when no keyring is reachable: asked before a person types a
   * token that could not be kept.
   */
  async assertCanSave(target: string): Promise<void> {
    try {
      await this.#open(KEYRING_SERVICE, target).getPassword();
    } catch (error) {
      throw cannotSave(target, error);
    }
  }

  /**
   * Saves a token in the keyring; there is deliberately no way to save it anywhere else,
   * so without a keyring this refuses and says what the user can do instead.
   */
  async save(target: string, token: string): Promise<void> {
    try {
      await this.#open(KEYRING_SERVICE, target).setPassword(token);
    } catch (error) {
      throw cannotSave(target, error);
    }
  }
}

function cannotSave(target: string, error: unknown): DeliveryError {
  return new DeliveryError(
    'no-token',
    `no keyring is reachable to save the token of target '${target}' (${reason(error)}), and Ferry never writes a token to a file: ${WITHOUT_KEYRING}`,
  );
}
