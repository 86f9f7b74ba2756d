import type { VendorName } from '../errors.js';
import type { CircuitBreakerOptions } from './circuit-breaker.js';

export interface VendorHttpOptions {
  vendor: VendorName;
  /** Origin plus an optional path prefix (`https://host/api`); one keep-alive pool per origin. */
  baseUrl: string;
  /** Headers that authenticate every call; may be async (Distru mints tokens). Never logged, never in errors. */
  authHeaders: () => Record<string, string> | Promise<Record<string, string>>;
  /** Budget of one HTTP attempt, from sending to the last byte of the body. */
  timeoutMs: number;
  /**
   * Budget of one `request()` — rate-limit queueing, every attempt and the waits between them —
   * when the scope brings no earlier deadline. Default 30 s.
   */
  deadlineMs?: number;
  /** Retries of idempotent calls after a network error, a 5xx or a 429 (`max` 0: none). */
  retries: { max: number; baseDelayMs: number; maxDelayMs: number };
  /** Client-side sliding window (see SlidingWindowScheduler); absent: no limit beyond `connections`. */
  rateLimit?: { maxCalls: number; windowMs: number; guardMs?: number; maxQueue: number; fullAtStart?: boolean };
  /** Both breakers (read and write); `now` is their clock (tests pass a simulated one). */
  breaker: CircuitBreakerOptions;
  /** Share one in-flight request between concurrent identical idempotent GETs. */
  coalesce: boolean;
  /** Sockets to the vendor's origin (more calls wait inside the pool). Default 10. */
  connections?: number;
  /**
   * The vendor client's endpoint table as route patterns (`GET /orders/:id`): logs, metrics and
   * spans name a call by its pattern, never by its concrete path (see route-pattern.ts).
   */
  routes?: readonly string[];
}

export const DEFAULT_DEADLINE_MS = 30_000;
export const DEFAULT_CONNECTIONS = 10;

/** Distru's FAQ: "at most 2 requests per second" (seeds/README.md, "What else is known"). */
export const DISTRU_DEFAULT_MAX_RPS = 2;

/**
 * Per-vendor defaults. Distru's FAQ recommends at most 2 calls per second and every Distru call
 * hits a live company (seeds/README.md, "What else is known"), so its budget is a strict sliding
 * window of `distruMaxRps` calls per second (DISTRU_MAX_RPS), each counted from its answer, with 10 ms
 * of guard for millisecond rounding between the two clocks, and a queue of 20 (10 s of work: a longer queue would only
 * time out). The window starts full (`fullAtStart`): a process started within a second of another's
 * Distru calls (a restart) waits that second out instead of adding two more calls to it. The other
 * three document no limit; a generous window still keeps a runaway fan-out from hammering them.
 */
export function defaultHttpOptions(vendor: VendorName, distruMaxRps = DISTRU_DEFAULT_MAX_RPS): Omit<VendorHttpOptions, 'baseUrl' | 'authHeaders'> {
  const common = {
    vendor,
    timeoutMs: 10_000,
    deadlineMs: DEFAULT_DEADLINE_MS,
    retries: { max: 2, baseDelayMs: 100, maxDelayMs: 2_000 },
    breaker: { failureThreshold: 5, openMs: 15_000 },
    coalesce: true,
    connections: DEFAULT_CONNECTIONS,
  };
  switch (vendor) {
    case 'distru':
      return { ...common, timeoutMs: 15_000, rateLimit: { maxCalls: distruMaxRps, windowMs: 1_000, guardMs: 10, maxQueue: 20, fullAtStart: true }, connections: 4 };
    case 'isolocity':
    case 'pharus':
    case 'hapihub':
      return { ...common, rateLimit: { maxCalls: 20, windowMs: 1_000, maxQueue: 200 } };
  }
}

/** Checks every option, each with a message that names the option and the bad value. */
export function assertVendorHttpOptions(options: VendorHttpOptions): void {
  parseBaseUrl(options.baseUrl, options.vendor);
  positive('timeoutMs', options.timeoutMs, options.vendor);
  if (options.deadlineMs !== undefined) positive('deadlineMs', options.deadlineMs, options.vendor);
  nonNegativeInteger('retries.max', options.retries.max, options.vendor);
  nonNegative('retries.baseDelayMs', options.retries.baseDelayMs, options.vendor);
  nonNegative('retries.maxDelayMs', options.retries.maxDelayMs, options.vendor);
  if (options.connections !== undefined && !(Number.isInteger(options.connections) && options.connections >= 1)) {
    throw new TypeError(`${options.vendor}: connections must be a positive integer, got ${options.connections}`);
  }
}

/** The origin (for the pool) and the path prefix (prepended to every request path). */
export function parseBaseUrl(baseUrl: string, vendor: VendorName): { origin: string; prefix: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    // The URL may carry userinfo: do not echo it.
    throw new TypeError(`${vendor}: baseUrl is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`${vendor}: baseUrl must be http(s), got ${url.protocol}`);
  if (url.username || url.password) throw new TypeError(`${vendor}: baseUrl must not carry credentials; use authHeaders`);
  if (url.search || url.hash) throw new TypeError(`${vendor}: baseUrl must not carry a query or fragment`);
  return { origin: url.origin, prefix: url.pathname.replace(/\/+$/, '') };
}

function positive(name: string, value: number, vendor: VendorName): void {
  if (!(Number.isFinite(value) && value > 0)) throw new TypeError(`${vendor}: ${name} must be a positive number, got ${value}`);
}

function nonNegative(name: string, value: number, vendor: VendorName): void {
  if (!(Number.isFinite(value) && value >= 0)) throw new TypeError(`${vendor}: ${name} must be a non-negative number, got ${value}`);
}

function nonNegativeInteger(name: string, value: number, vendor: VendorName): void {
  if (!(Number.isInteger(value) && value >= 0)) throw new TypeError(`${vendor}: ${name} must be a non-negative integer, got ${value}`);
}
