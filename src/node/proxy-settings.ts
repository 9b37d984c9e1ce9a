import type { ProxyConfig } from '../engine/config/proxy-schema.js';

/**
 * Which proxy, if any, a request goes through. The environment's HTTPS_PROXY / HTTP_PROXY /
 * NO_PROXY (lower-case forms first, as curl reads them) apply unless the config names a
 * proxy, which then wins for every scheme. Pure: the environment is passed in.
 */

export interface ProxySettings {
  readonly http: string | undefined;
  readonly https: string | undefined;
  /** NO_PROXY entries, lower-cased and trimmed. */
  readonly noProxy: readonly string[];
}

export type Env = Readonly<Record<string, string | undefined>>;

/** The lower-case form first, as curl reads it; an empty variable counts as unset. */
function raw(env: Env, name: string): string | undefined {
  for (const key of [name.toLowerCase(), name.toUpperCase()]) {
    const value = env[key]?.trim();
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

function fromEnv(env: Env, name: string): string | undefined {
  const value = raw(env, name);
  return value === undefined ? undefined : withScheme(value);
}

/** `proxy.corp:3128` means http, as in curl and every other tool that reads these variables. */
function withScheme(proxy: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

export function parseNoProxy(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[\s,]+/)
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
}

export function proxySettings(env: Env, config?: ProxyConfig): ProxySettings {
  if (config !== undefined) {
    const url = withScheme(config.url);
    return {
      http: url,
      https: url,
      noProxy:
        config.noProxy === undefined
          ? parseNoProxy(raw(env, 'no_proxy'))
          : config.noProxy.map((entry) => entry.trim().toLowerCase()),
    };
  }
  return {
    http: fromEnv(env, 'http_proxy') ?? fromEnv(env, 'all_proxy'),
    https: fromEnv(env, 'https_proxy') ?? fromEnv(env, 'all_proxy'),
    noProxy: parseNoProxy(raw(env, 'no_proxy')),
  };
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

/** `[::1]` and `::1` name the same host. */
function bare(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function isAddress(host: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/** An entry's host and optional port: `example.com:8443`, `[::1]:80`, `::1`. */
function splitEntry(entry: string): { host: string; port: string | undefined } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed !== null) return { host: bracketed[1] ?? '', port: bracketed[2] };
  const colons = entry.split(':').length - 1;
  if (colons === 1) {
    const [host = '', port] = entry.split(':');
    return { host, port };
  }
  return { host: entry, port: undefined };
}

/**
 * Whether NO_PROXY sends this URL direct. curl's rules: `*` matches everything; an entry
 * matches the host itself and every subdomain (a leading `.` or `*.` changes nothing);
 * `host:port` matches only that port; IP addresses match exactly. Loopback gets no special
 * case: like curl, 127.0.0.1 is proxied unless NO_PROXY lists it, so a proxy on loopback can
 * be tested with a vendor on loopback.
 */
export function bypassesProxy(url: URL, noProxy: readonly string[]): boolean {
  const host = bare(url.hostname.toLowerCase());
  const port = url.port === '' ? defaultPort(url.protocol) : url.port;
  return noProxy.some((entry) => {
    if (entry === '*') return true;
    const parsed = splitEntry(entry);
    if (parsed.port !== undefined && parsed.port !== port) return false;
    const suffix = bare(parsed.host).replace(/^\*?\./, '');
    if (suffix === '') return false;
    // `0.0.1` must not match 10.0.0.1: addresses match whole or not at all.
    if (isAddress(host) || isAddress(suffix)) return host === suffix;
    return host === suffix || host.endsWith(`.${suffix}`);
  });
}

/** The proxy URL for a request, or undefined to connect directly. */
export function proxyFor(url: URL, settings: ProxySettings): string | undefined {
  const proxy =
    url.protocol === 'https:' ? settings.https : url.protocol === 'http:' ? settings.http : undefined;
  if (proxy === undefined) return undefined;
  return bypassesProxy(url, settings.noProxy) ? undefined : proxy;
}
