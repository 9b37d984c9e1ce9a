import { z } from 'zod';
import { wholeList } from '../schema/whole-values.js';
import { exactObject } from './schema-parts.js';

/** The config's `proxy` key: a proxy that overrides HTTPS_PROXY / HTTP_PROXY for every request. */

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

const isHost = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

export const proxySchema = exactObject(
  {
    /** `http://[user:password@]host:port` (or https://). */
    url: z.string({ error: 'must be a string' }).superRefine((url, ctx) => {
      const problem = urlProblem(url);
      if (problem !== undefined) ctx.addIssue(problem);
    }),
    /** Hosts reached directly (NO_PROXY syntax); when absent, the environment's NO_PROXY applies. */
    noProxy: wholeList(isHost, 'must be an array of host names').exactOptional(),
  },
  'must be an object: { "url": "http://host:port", "noProxy": [...] }',
);

export type ProxyConfig = z.output<typeof proxySchema>;
