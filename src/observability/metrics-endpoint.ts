import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { metricsRegistry } from './metrics.js';

/**
 * Decides whether a scrape may read `/metrics`. The gateway takes it as an option so that the
 * API's own credential check guards the metrics too: one function, wired where the API's auth is
 * built. Without one, `/metrics` is open (as the API is when it has no credentials).
 */
export type MetricsGuard = (request: IncomingMessage) => boolean | Promise<boolean>;

/** Answers one `/metrics` request: the Prometheus text format, or 401/405. */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, guard?: MetricsGuard): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' }).end(JSON.stringify({ error: 'method not allowed' }));
    return;
  }
  if (guard && !(await guard(req))) {
    res.writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'application/json' }).end(JSON.stringify({ error: "/metrics needs the API's credentials" }));
    return;
  }
  const body = await metricsRegistry.metrics();
  res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(req.method === 'HEAD' ? undefined : body);
}

/** A server of its own for METRICS_PORT, answering only `/metrics`. */
export function createMetricsServer(guard?: MetricsGuard): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'only /metrics is served on this port' }));
      return;
    }
    serveMetrics(req, res, guard).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
}
