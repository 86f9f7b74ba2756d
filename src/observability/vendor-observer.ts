import type { Logger } from 'pino';
import type { VendorHttpObserver } from '../http/observer.js';
import { metrics } from './metrics.js';
import { currentRequestId } from './request-id.js';

/**
 * What the operator sees of the vendor HTTP layer: every attempt in the metrics, a `warn` line per
 * failed attempt (vendor, route pattern, status or error kind, attempt, duration — never a path
 * with ids, a query or a header), breaker changes, rate-limit queueing.
 */
export function vendorObserver(log: Logger): VendorHttpObserver {
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
    breakerChanged(vendor, state) {
      if (state === 'closed') log.info({ vendor, breaker: state }, 'circuit breaker closed: the vendor answers again');
      else log.warn({ vendor, breaker: state }, 'circuit breaker opened: calls to this vendor fail fast');
    },
    rateLimitQueue(vendor, depth) {
      metrics.rateLimitQueueDepth(vendor, depth);
    },
    rateLimitWait(vendor, waitMs) {
      metrics.rateLimitWait(vendor, waitMs);
    },
  };
}
