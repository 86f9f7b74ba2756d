import type { Logger } from 'pino';
import type { VendorHttpObserver } from '../http/observer.js';
import type { GatewayMetrics } from './metrics.js';
import { currentRequestId } from './request-id.js';

/**
 * What the operator sees of the vendor HTTP layer: every attempt in the gateway's metrics, a `warn` line per
 * failed attempt (vendor, route pattern, status or error kind, attempt, duration — never a path
 * with ids, a query or a header), breaker changes (read and write), rate-limit waits.
 */
export function vendorObserver(log: Logger, metrics: GatewayMetrics): VendorHttpObserver {
  return {
    attempt(report) {
      metrics.vendorAttempt(report);
      const fields = {
        requestId: currentRequestId(),
        vendor: report.vendor,
        route: report.route,
        status: report.status,
        ...(report.errorKind === undefined ? {} : { errorKind: report.errorKind }),
        attempt: report.attempt,
        durationMs: Math.round(report.durationMs),
        ...(report.rateLimitWaitMs >= 1 ? { rateLimitWaitMs: Math.round(report.rateLimitWaitMs) } : {}),
        ...(report.callerLeft ? { callerLeft: true } : {}),
      };
      if (report.failed) log.warn(fields, 'vendor call failed');
      else log.debug(fields, 'vendor call');
    },
    retry(vendor, route, reason) {
      metrics.vendorRetry(vendor, route, reason);
    },
    // The last error's message names the concrete path (ids): /readyz shows it, the log line does not.
    breakerChanged(vendor, kind, state) {
      const calls = kind === 'read' ? 'reads from' : 'writes to';
      if (state === 'closed') log.info({ vendor, breaker: kind, state }, `circuit breaker closed: ${calls} this vendor are sent again`);
      else if (state === 'open') log.warn({ vendor, breaker: kind, state }, `circuit breaker opened: ${calls} this vendor fail fast`);
      else log.info({ vendor, breaker: kind, state }, `circuit breaker half-open: one of the ${kind}s probes the vendor`);
    },
    rateLimitWait(vendor, waitMs) {
      metrics.rateLimitWait(vendor, waitMs);
    },
  };
}
