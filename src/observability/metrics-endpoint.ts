import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { GatewayMetrics } from './metrics.js';

/** Whether a scrape may read `/metrics`, and if not, what to answer. */
export type MetricsAccess = { allowed: true } | { allowed: false; status: 401 | 403; message: string };

/**
 * Decides whether a scrape may read `/metrics`. The gateway builds it from the API's own client
 * authentication (src/server/metrics-guard.ts), so a scrape needs the same credentials as a query.
 * Without one, `/metrics` is open (as the API is with AUTH=none).
 */
export type MetricsGuard = (request: IncomingMessage) => Promise<MetricsAccess>;

/** Answers one `/metrics` request with its gateway's metrics: the Prometheus text format, or 401/403/405. */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: GatewayMetrics, guard?: MetricsGuard): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' }).end(JSON.stringify({ error: 'method not allowed' }));
    return;
  }
  const access = guard ? await guard(req) : ({ allowed: true } as const);
  if (!access.allowed) {
    const headers = { 'content-type': 'application/json', ...(access.status === 401 ? { 'www-authenticate': 'Bearer realm="opsgraph"' } : {}) };
    res.writeHead(access.status, headers).end(JSON.stringify({ error: access.message }));
    return;
  }
  const { contentType, body } = await metrics.scrape();
  res.writeHead(200, { 'content-type': contentType }).end(req.method === 'HEAD' ? undefined : body);
}

/** A server of its own for METRICS_PORT, answering only `/metrics` (the gateway's metrics). */
export function createMetricsServer(metrics: GatewayMetrics, guard?: MetricsGuard): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'only /metrics is served on this port' }));
      return;
    }
    serveMetrics(req, res, metrics, guard).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
}
