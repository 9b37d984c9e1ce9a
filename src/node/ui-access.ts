import { timingSafeEqual } from 'node:crypto';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost']);

/**
 * DNS-rebinding defence: a page on evil.example that rebinds its name to
 * 127.0.0.1 reaches this port with `Host: evil.example`. Only the loopback
 * names, with the port actually served, are answered.
 */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const match = /^([^:]+):(\d+)$/.exec(host.toLowerCase());
  if (match === null) return false;
  const [, name, given] = match;
  return name !== undefined && LOOPBACK_NAMES.has(name) && Number(given) === port;
}

/**
 * The per-run token, only from the `Authorization: Bearer` header: a header is
 * something another site's page cannot make a browser send (unlike a cookie),
 * and it never lands in a URL, a log line or a Referer.
 */
export function hasBearerToken(authorization: string | undefined, token: string): boolean {
  const given = /^Bearer ([\w-]+)$/.exec(authorization ?? '')?.[1];
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
