import type { VendorName } from '../errors.js';
import type { BreakerState } from './circuit-breaker.js';

/**
 * What one HTTP attempt to a vendor came to, as VendorHttp reports it to the operator's tools
 * (logs, metrics): built from the method, the route PATTERN and the status only, never from
 * headers, query strings or bodies, so that no token or data can reach a log line or a label.
 */
export interface AttemptReport {
  vendor: VendorName;
  /** `GET /public/v1/orders/:id`: the endpoint table's pattern, not the concrete path. */
  route: string;
  /** 1 for the first try, 2 for the first retry… */
  attempt: number;
  durationMs: number;
  /** The vendor's HTTP status, or why there is none. */
  status: number | 'timeout' | 'network' | 'aborted';
  /** For `network`: the socket error's code (ECONNREFUSED…); for a bad 2xx body: `malformed`. */
  errorKind?: string;
  /** True when the attempt ended in a vendor failure (not a 2xx, not a 4xx the data source maps). */
  failed: boolean;
  /** Time spent waiting for a client-side rate-limit token before this attempt. */
  rateLimitWaitMs: number;
  /** True when the caller had already left (deadline or cancel) when the attempt ended. */
  callerLeft: boolean;
}

/** Which of a vendor's two circuit breakers: reads (GET) or writes (every other method). */
export type BreakerKind = 'read' | 'write';

/** Hooks VendorHttp calls; every method must be cheap and must not throw. */
export interface VendorHttpObserver {
  attempt(report: AttemptReport): void;
  retry(vendor: VendorName, route: string, reason: string): void;
  breakerChanged(vendor: VendorName, kind: BreakerKind, state: BreakerState, lastError: string | undefined): void;
  /** One caller got its token after waiting this long. */
  rateLimitWait(vendor: VendorName, waitMs: number): void;
}

export const silentObserver: VendorHttpObserver = {
  attempt: () => {},
  retry: () => {},
  breakerChanged: () => {},
  rateLimitWait: () => {},
};
