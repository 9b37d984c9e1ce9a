import type { ConfigIssue } from './config.js';
import { isJsonObject } from './json-value.js';

/** The config's `proxy` key: a proxy that overrides HTTPS_PROXY / HTTP_PROXY for every request. */
export interface ProxyConfig {
  /** `http://[user:password@]host:port` (or https://). */
  readonly url: string;
  /** Hosts reached directly (NO_PROXY syntax); when absent, the environment's NO_PROXY applies. */
  readonly noProxy?: readonly string[];
}

function urlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Never echo the text: it may hold the proxy's password.
    return 'is not a URL (expected http://[user:password@]host:port)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http:// or https:// URL';
  if (url.pathname !== '/' || url.search !== '') return 'must name only the proxy: no path or query';
  return undefined;
}

/** Validates `proxy`; pushes every problem onto `issues`. */
export function parseProxyConfig(
  value: unknown,
  path: string,
  issues: ConfigIssue[],
): ProxyConfig | undefined {
  if (!isJsonObject(value)) {
    issues.push({ path, problem: 'must be an object: { "url": "http://host:port", "noProxy": [...] }' });
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (key !== 'url' && key !== 'noProxy')
      issues.push({ path: `${path}.${key}`, problem: 'unknown key (expected one of: url, noProxy)' });
  }
  const { url, noProxy } = value;
  let problem = typeof url === 'string' ? urlProblem(url) : 'must be a string';
  if (problem !== undefined) issues.push({ path: `${path}.url`, problem });
  let hosts: string[] | undefined;
  if (noProxy !== undefined) {
    if (
      Array.isArray(noProxy) &&
      noProxy.every((entry) => typeof entry === 'string' && entry.trim() !== '')
    ) {
      hosts = noProxy as string[];
    } else {
      problem = 'must be an array of host names';
      issues.push({ path: `${path}.noProxy`, problem });
    }
  }
  if (typeof url !== 'string' || problem !== undefined) return undefined;
  return hosts === undefined ? { url } : { url, noProxy: hosts };
}
