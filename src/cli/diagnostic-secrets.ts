import type { FerryConfig } from '../engine/config/config-schema.js';

/** The variables that may carry a proxy URL, and with it a password. */
export const PROXY_VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'NO_PROXY'].flatMap((name) => [
  name,
  name.toLowerCase(),
]);

function passwordOf(text: string | undefined): string[] {
  if (text === undefined || text.trim() === '') return [];
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
    if (url.password === '') return [];
    // Both spellings: the URL form in a config dump, the decoded one in anything built from it.
    return [url.password, decodeURIComponent(url.password)];
  } catch {
    return [];
  }
}

/**
 * Secrets the diagnostics bundle must not contain that no pattern can recognise: the token
 * itself and proxy passwords, removed literally wherever they appear.
 */
export function literalSecrets(
  env: Readonly<Record<string, string | undefined>>,
  config: FerryConfig | undefined,
  tokens: readonly string[],
): string[] {
  const found = [
    env.FERRY_TOKEN?.trim() ?? '',
    ...tokens,
    ...PROXY_VARIABLES.flatMap((name) => passwordOf(env[name])),
    ...passwordOf(config?.proxy?.url),
  ];
  return [...new Set(found.filter((secret) => secret !== ''))];
}
