import type { SecretStore } from '../engine/ports.js';

/**
 * The store, remembering in `seen` every token it hands out, so the log sink can remove each
 * literally wherever it appears: redact's patterns find a token only beside a name such as
 * `token=` or `Bearer`, and a vendor may quote it anywhere.
 */
export function rememberingTokens(store: SecretStore, seen: Set<string>): SecretStore {
  return {
    token: async (target) => {
      const token = await store.token(target);
      seen.add(token);
      return token;
    },
  };
}
