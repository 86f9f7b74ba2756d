import type { IncomingMessage } from 'node:http';
import { errorCode } from '../errors.js';
import type { MetricsGuard } from '../observability/metrics-endpoint.js';
import type { ClientAuth } from './auth/client-auth.js';
import { canRead } from './auth/identity.js';

/**
 * `/metrics` behind the API's own credentials: the same API keys and JWTs, checked by the same
 * code (`ClientAuth.authenticate`), and the scope `read`. Metrics carry no record data, but they
 * name clients, operations and vendor routes and show traffic: the least a client needs to query
 * opsgraph is the least a scraper needs to read them, so Prometheus gets a `read` key of its own
 * (docs/gateway.md, "Metrics"). No credential or a bad one: 401; a client without `read`: 403.
 */
export function metricsGuard(auth: ClientAuth): MetricsGuard {
  return async (req) => {
    let client;
    try {
      client = await auth.authenticate(fetchRequestOf(req));
    } catch (error) {
      if (errorCode(error) !== 'UNAUTHENTICATED') throw error;
      return { allowed: false, status: 401, message: `/metrics needs the API's credentials: ${(error as Error).message}` };
    }
    if (!canRead(client)) return { allowed: false, status: 403, message: `client "${client.name}" may not read /metrics: it needs the scope "read"` };
    return { allowed: true };
  };
}

/** The scrape's headers as a Fetch Request (what the authentication reads); its body is never read. */
function fetchRequestOf(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return new Request(new URL(req.url ?? '/metrics', 'http://opsgraph.local'), { headers });
}
