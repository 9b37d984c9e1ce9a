import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';

export interface ProxyAgents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
}

/**
 * The agent pair (http, https) for one proxy, kept per proxy URL so connections to the proxy are
 * reused. Both tunnel with CONNECT (hpagent), so a PUT to a presigned URL reaches the
 * vendor unchanged and credentials in the proxy URL become Proxy-Authorization.
 */
export function proxyAgentCache(): (proxy: string) => ProxyAgents {
  const cache = new Map<string, ProxyAgents>();
  return (proxy) => {
    const known = cache.get(proxy);
    if (known !== undefined) return known;
    const options = { proxy, keepAlive: true, keepAliveMsecs: 1_000, maxFreeSockets: 8 };
    const agents = { http: new HttpProxyAgent(options), https: new HttpsProxyAgent(options) };
    cache.set(proxy, agents);
    return agents;
  };
}
