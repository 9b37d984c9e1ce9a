import { createServer } from 'node:http';
import type { FerryMetrics } from './ferry-metrics.js';

export interface MetricsAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * `--metrics` as rclone's `--metrics-addr` takes it: `host:port`, `[::1]:port`, or `:port` and a
 * bare port for loopback. Loopback unless a host is named: metrics tell which folders and
 * targets exist, which is not for the whole network by default.
 */
export function parseMetricsAddress(text: string): MetricsAddress | { readonly problem: string } {
  const match = /^\d+$/.test(text)
    ? ['', '', text]
    : (/^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]*):(\d+)$/.exec(text));
  const port = Number(match?.[2]);
  if (match === null || !Number.isInteger(port) || port < 0 || port > 65_535)
    return {
      problem: `--metrics must be host:port, :port or a port (0–65535), got '${text}'; 0 picks a free port`,
    };
  const host = match[1] ?? '';
  return { host: host === '' ? '127.0.0.1' : host, port };
}

/** Serves `GET /metrics` in Prometheus' text format until closed. */
export async function serveMetrics(
  address: MetricsAddress,
  metrics: FerryMetrics,
): Promise<{ readonly url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Ferry serves GET /metrics only\n');
      return;
    }
    metrics.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : address.port;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
