import type { CallPriority, RateLimitGrant } from './rate-limiter.js';
import type { UpstreamTrace } from './trace.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface VendorRequest {
  method: HttpMethod;
  /** Path relative to the vendor's base URL (which may itself carry a prefix such as /api); starts with '/'; ids already encodeURIComponent-ed. */
  path: string;
  /** Ordered pairs; repeated keys allowed (Distru `product_ids[]`, `page[number]`). */
  query?: ReadonlyArray<readonly [string, string]>;
  /** JSON-encoded when present. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Retried and coalesced only when true. Default: true for GET, false otherwise. */
  idempotent?: boolean;
}

export interface VendorResponse {
  status: number;
  headers: Record<string, string>;
  /**
   * Parsed JSON; null when empty. On a non-2xx answer whose body is not JSON (an HTML error page
   * from a proxy), the raw text, so the data source can still say something useful about it.
   */
  body: unknown;
}

export interface CallScope {
  /** Where every HTTP attempt this call sends is counted (`extensions.upstream`). */
  trace?: UpstreamTrace;
  /** Cancels the call (the GraphQL request went away). */
  signal?: AbortSignal;
  /** epoch ms: the GraphQL request's overall deadline */
  deadline?: number;
  /** Who waits for the answer: a GraphQL request (default) or the background sync. */
  priority?: CallPriority;
  /** The client the call works for (API key or JWT name); calls of different clients share the vendor's budget in turn. */
  client?: string;
  /**
   * The GraphQL request the call is for, when the scope is not the request's own (shared work
   * started by it builds its own scope): the per-request memo of failed reads is kept under it.
   */
  request?: object;
  /**
   * A place in the vendor's budget taken beforehand (`VendorHttp.reserve`): the first attempt of the
   * next call made with this scope sends under it instead of queueing again.
   */
  reserved?: CallReservation;
}

/** A place in a vendor's budget granted before its call was built (see `VendorHttp.reserve`). */
export interface CallReservation {
  /** The grant, once: the attempt that takes it releases it when the vendor answers. */
  take(): RateLimitGrant | undefined;
  /** Gives back a place nobody took (it counts as a call that ended now); a no-op once taken. */
  release(): void;
}
