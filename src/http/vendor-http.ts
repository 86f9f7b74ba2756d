import type { GraphQLError } from 'graphql';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { context as otelContext, SpanKind, SpanStatusCode, trace as otelTrace, type Span } from '@opentelemetry/api';
import { Pool } from 'undici';
import { errorCode, vendorError, type ErrorCode, type VendorName } from '../errors.js';
import { CircuitBreaker, type BreakerOutcome, type BreakerPermit, type BreakerState } from './circuit-breaker.js';
import { Coalescer } from './coalescer.js';
import { assertVendorHttpOptions, DEFAULT_CONNECTIONS, DEFAULT_DEADLINE_MS, parseBaseUrl, type VendorHttpOptions } from './options.js';
import { RateLimitError, TokenBucket, type RateLimiter } from './rate-limiter.js';
import { silentObserver, type AttemptReport, type VendorHttpObserver } from './observer.js';
import { RecentOutcomes, type OutcomeDetail } from './recent-outcomes.js';
import { RoutePatterns } from './route-pattern.js';
import { backoffDelay, parseRetryAfter } from './retry.js';
import type { UpstreamTrace } from './trace.js';
import type { HttpMethod, CallScope, VendorRequest, VendorResponse } from './types.js';

export { defaultHttpOptions, type VendorHttpOptions } from './options.js';

export interface VendorHealth {
  vendor: VendorName;
  breaker: BreakerState;
  /** HTTP attempts sent in the last 60 s. */
  recentCalls: number;
  /** Share of those attempts that ended in a vendor error (0 when there were none). */
  recentErrorRate: number;
  /** The last vendor error's message (names vendor, method and path; never credentials). */
  lastError?: string;
  /** Attempts in the last 60 s that hung past their own per-call timeout. */
  recentTimeouts: number;
  /** True when the latest attempt to end (within the last 60 s) hung past its timeout. */
  hanging: boolean;
  /** The per-call timeout, for readiness messages. */
  timeoutMs: number;
  /** Answers in the last 60 s with 401, 403 and 404 (a wrong token or base URL). */
  recentStatuses: { 401: number; 403: number; 404: number };
}

/** Extra dependencies, for tests and for a shared (Redis) rate budget when scaled out. */
export interface VendorHttpDeps {
  rateLimiter?: RateLimiter;
  /** Logs and metrics of every attempt, retry, breaker change and rate-limit wait. */
  observer?: VendorHttpObserver;
}

/** Why an attempt did not give the caller an answer; becomes a `vendorError` when it is final. */
interface Failure {
  code: ErrorCode;
  message: string;
  extra?: Record<string, unknown>;
}

type Attempt =
  | { kind: 'answer'; response: VendorResponse }
  /** Worth another try if the call is idempotent and time allows. */
  | { kind: 'retry'; failure: Failure; retryAfterMs?: number }
  /** Final whatever the call: retrying would not help or is not allowed. */
  | { kind: 'fail'; failure: Failure };

/** One `request()` as the attempts see it: whose trace, until when, cancelled by what. */
interface Run {
  /** The endpoint table's pattern of this call (`GET /orders/:id`), for logs, metrics and spans. */
  pattern: string;
  trace?: UpstreamTrace;
  /** epoch ms; always finite (the scope's deadline or `deadlineMs` from now, whichever is first). */
  deadline: number;
  signal?: AbortSignal;
}

/** One attempt on the wire, as `send` and `finish` share it. */
interface SentAttempt {
  /** The concrete `METHOD /path` for error messages (never logged: see `run.pattern`). */
  route: string;
  run: Run;
  permit: BreakerPermit;
  span: Span;
  attempt: number;
  rateLimitWaitMs: number;
  started: number;
  /** Set when the per-call timeout aborted it. */
  timedOut: boolean;
  /** Set when its caller stopped waiting (deadline or cancel) before it ended. */
  callerLeft: boolean;
}

const METHODS: ReadonlySet<string> = new Set<HttpMethod>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** A no-op until an OpenTelemetry SDK is registered (src/observability/telemetry.ts). */
const tracer = otelTrace.getTracer('opsgraph.vendor-http');
/** How long a hang keeps a vendor reported as hanging in `health()` when nothing answers after it. */
const RECENT_MS = 60_000;

/**
 * The HTTP layer of one vendor, shared by every GraphQL request for the life of the process:
 * a keep-alive undici pool, per-attempt timeouts and an overall deadline, retries of idempotent
 * calls, a client-side rate limit, coalescing of identical GETs and a circuit breaker.
 *
 * Credentials come from `authHeaders` on each attempt and go only into the outgoing headers: no
 * error message, extension or health field is ever built from headers, bodies or query strings.
 */
export class VendorHttp {
  readonly vendor: VendorName;
  private readonly pool: Pool;
  private readonly prefix: string;
  private readonly authHeaders: VendorHttpOptions['authHeaders'];
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;
  private readonly retries: VendorHttpOptions['retries'];
  private readonly limiter: RateLimiter | undefined;
  private readonly breaker: CircuitBreaker;
  private readonly coalescer: Coalescer<VendorResponse> | undefined;
  private readonly recent = new RecentOutcomes();
  private readonly routes: RoutePatterns;
  private readonly observer: VendorHttpObserver;
  /** Attempts still running, possibly after their caller left: aborted by `close()`. */
  private readonly running = new Set<AbortController>();
  /** Callers waiting for a rate-limit token now. */
  private waitingForToken = 0;
  /** When the latest attempt ended, and whether it hung past its timeout (for `health().hanging`). */
  private lastEnded: { at: number; hung: boolean } | undefined;
  /** Reads that failed for good, per call scope (one GraphQL request): see `request`. */
  private readonly failedReads = new WeakMap<CallScope, Map<string, GraphQLError>>();
  private lastError: string | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(options: VendorHttpOptions, deps: VendorHttpDeps = {}) {
    assertVendorHttpOptions(options);
    const { origin, prefix } = parseBaseUrl(options.baseUrl, options.vendor);
    this.vendor = options.vendor;
    this.prefix = prefix;
    this.pool = new Pool(origin, { connections: options.connections ?? DEFAULT_CONNECTIONS, pipelining: 1 });
    this.authHeaders = options.authHeaders;
    this.timeoutMs = options.timeoutMs;
    this.deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.retries = options.retries;
    this.limiter = deps.rateLimiter ?? (options.rateLimit ? new TokenBucket(options.rateLimit) : undefined);
    this.breaker = new CircuitBreaker(options.breaker);
    this.coalescer = options.coalesce ? new Coalescer<VendorResponse>() : undefined;
    this.routes = new RoutePatterns(options.routes);
    this.observer = deps.observer ?? silentObserver;
  }

  /** The per-call timeout of one attempt. */
  get attemptTimeoutMs(): number {
    return this.timeoutMs;
  }

  /**
   * Sends one call. Resolves with 2xx answers and with 4xx other than 401/403/429 (the data source
   * maps those itself); rejects with a `vendorError` otherwise (see `src/errors.ts` for the codes).
   */
  async request(req: VendorRequest, scope: CallScope = {}): Promise<VendorResponse> {
    assertRequest(req, this.vendor);
    const route = `${req.method} ${req.path}`;
    if (this.closed) throw vendorError(this.vendor, 'VENDOR_UNAVAILABLE', `${route}: the HTTP client is closed`);
    const deadline = Math.min(scope.deadline ?? Infinity, Date.now() + this.deadlineMs);
    const idempotent = req.idempotent ?? req.method === 'GET';
    const target = this.prefix + req.path + encodeQuery(req.query);
    const pattern = this.routes.routeOf(req.method, req.path);

    if (!idempotent || req.method !== 'GET') {
      return this.execute(req, target, route, idempotent, { pattern, trace: scope.trace, deadline, signal: scope.signal });
    }
    const key = `${target}\n${req.headers ? JSON.stringify(Object.entries(req.headers).sort()) : ''}`;
    // A read that already failed for good in this GraphQL request is not sent again: its retries
    // are spent, and a second lookup of the same relation (a later DataLoader batch, an index
    // refresh asked for twice) would only repeat them against a vendor that is failing.
    const failed = this.failedReads.get(scope)?.get(key);
    if (failed) throw failed;
    try {
      return await this.read(req, target, route, pattern, key, deadline, scope);
    } catch (error) {
      if (isFinalReadFailure(error)) {
        let failures = this.failedReads.get(scope);
        if (!failures) this.failedReads.set(scope, (failures = new Map()));
        failures.set(key, error);
      }
      throw error;
    }
  }

  private async read(req: VendorRequest, target: string, route: string, pattern: string, key: string, deadline: number, scope: CallScope): Promise<VendorResponse> {
    if (!this.coalescer) return this.execute(req, target, route, true, { pattern, trace: scope.trace, deadline, signal: scope.signal });
    // The shared call runs under the first caller's trace and deadline but none of the callers'
    // signals; each caller still leaves on its own deadline or signal (see Coalescer).
    const caller = this.callerSignal(route, deadline, scope.signal);
    try {
      const { value } = await this.coalescer.run(key, (signal) => this.execute(req, target, route, true, { pattern, trace: scope.trace, deadline, signal }), {
        signal: caller.signal,
        copy: structuredClone,
      });
      return value;
    } finally {
      caller.dispose();
    }
  }

  health(): VendorHealth {
    const { calls, errorRate, timeouts, statuses } = this.recent.snapshot();
    const hanging = this.lastEnded !== undefined && this.lastEnded.hung && Date.now() - this.lastEnded.at < RECENT_MS;
    const health: VendorHealth = {
      vendor: this.vendor,
      breaker: this.breaker.state,
      recentCalls: calls,
      recentErrorRate: errorRate,
      recentTimeouts: timeouts,
      hanging,
      timeoutMs: this.timeoutMs,
      recentStatuses: statuses,
    };
    if (this.lastError !== undefined) health.lastError = this.lastError;
    return health;
  }

  /**
   * Refuses new calls, rejects callers queued for a rate-limit token, stops attempts still running
   * for callers that already left, and closes the sockets.
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.limiter?.close();
    for (const controller of this.running) controller.abort();
    return (this.closing = this.pool.close());
  }

  private async execute(req: VendorRequest, target: string, route: string, idempotent: boolean, run: Run): Promise<VendorResponse> {
    for (let attempt = 0; ; attempt++) {
      const result = await this.attempt(req, target, route, run, attempt + 1);
      if (result.kind === 'answer') return result.response;
      const tries = attempt + 1;
      // A write is never retried blindly: the vendor may have applied it before failing.
      if (result.kind === 'fail' || !idempotent || attempt >= this.retries.max) throw this.toError(result.failure, tries);
      const wait = result.retryAfterMs ?? backoffDelay(attempt, this.retries);
      // Waiting past the deadline only to fail then would hold the GraphQL response for nothing.
      if (Date.now() + wait >= run.deadline) throw this.toError(result.failure, tries);
      this.observer.retry(this.vendor, run.pattern, result.failure.code);
      try {
        await sleep(wait, undefined, { signal: run.signal });
      } catch {
        throw this.cancelled(route);
      }
    }
  }

  private async attempt(req: VendorRequest, target: string, route: string, run: Run, attemptNo: number): Promise<Attempt> {
    if (run.signal?.aborted) throw this.cancelled(route);
    if (Date.now() >= run.deadline) return { kind: 'fail', failure: deadlinePassed(route) };
    // Checked before queueing for a token too, so callers do not wait in line behind a dead vendor.
    if (this.breaker.state === 'open') return { kind: 'fail', failure: this.breakerOpen(route) };

    let auth: Record<string, string>;
    try {
      auth = await this.authHeaders();
    } catch (error) {
      // A vendor error from minting the token (Distru's session call) is already safe to show.
      if (errorCode(error) !== undefined) throw error;
      // Anything else may quote the secret it failed on: say only that it failed.
      return { kind: 'fail', failure: { code: 'VENDOR_AUTH_FAILED', message: `${route}: could not obtain credentials` } };
    }

    let rateLimitWaitMs = 0;
    if (this.limiter) {
      const queuedAt = performance.now();
      this.observer.rateLimitQueue(this.vendor, ++this.waitingForToken);
      try {
        await this.limiter.acquire(run.deadline, run.signal);
      } catch (error) {
        return { kind: 'fail', failure: this.rateLimitFailure(route, error) };
      } finally {
        this.observer.rateLimitQueue(this.vendor, --this.waitingForToken);
      }
      rateLimitWaitMs = performance.now() - queuedAt;
      this.observer.rateLimitWait(this.vendor, rateLimitWaitMs);
    }
    const permit = this.breaker.tryAcquire();
    if (!permit) return { kind: 'fail', failure: this.breakerOpen(route) };

    const remaining = run.deadline - Date.now();
    if (remaining <= 0) {
      this.breaker.report(permit, 'neutral');
      return { kind: 'fail', failure: deadlinePassed(route) };
    }
    return this.send(req, target, route, run, permit, auth, { attempt: attemptNo, rateLimitWaitMs });
  }

  private async send(req: VendorRequest, target: string, route: string, run: Run, permit: BreakerPermit, auth: Record<string, string>, info: { attempt: number; rateLimitWaitMs: number }): Promise<Attempt> {
    const controller = new AbortController();
    this.running.add(controller);
    const span = tracer.startSpan(`${this.vendor} ${run.pattern}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'opsgraph.vendor': this.vendor,
        'opsgraph.route': run.pattern,
        'opsgraph.attempt': info.attempt,
        'opsgraph.rate_limit_wait_ms': Math.round(info.rateLimitWaitMs),
        'http.request.method': req.method,
      },
    });
    const sent: SentAttempt = { route, run, permit, span, attempt: info.attempt, rateLimitWaitMs: info.rateLimitWaitMs, started: performance.now(), timedOut: false, callerLeft: false };
    // The attempt runs until the vendor answers or its own per-call timeout, even when its caller
    // leaves earlier (request deadline, client gone): only then does the breaker learn that a vendor
    // hangs — an attempt cut short by the deadline used to count as neutral, so a hung vendor kept
    // every request waiting its full deadline. Aborting at the timeout destroys the socket.
    const timer = setTimeout(() => {
      sent.timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const headers = buildHeaders(req, auth);
    const exchange = otelContext.with(otelTrace.setSpan(otelContext.active(), span), () =>
      this.pool.request({ method: req.method, path: target, headers, body: req.body === undefined ? null : JSON.stringify(req.body), signal: controller.signal }).then(async (res) => ({
        status: res.statusCode,
        headers: flattenHeaders(res.headers),
        // Read every body, even of an error, so the socket goes back to the pool.
        text: await res.body.text(),
      })),
    );
    const outcome: Promise<Attempt> = exchange
      .then(
        (answer) => this.finish(sent, answer, undefined),
        (error: unknown) => this.finish(sent, undefined, error),
      )
      .finally(() => {
        clearTimeout(timer);
        this.running.delete(controller);
      });
    // Nobody may be waiting any more when it settles: its rejection must not go unhandled.
    outcome.catch(() => undefined);

    // The caller waits for the attempt, its own deadline or its signal, whichever comes first.
    let deadlineTimer: NodeJS.Timeout | undefined;
    let onCancel: (() => void) | undefined;
    const leaves = new Promise<'deadline' | 'cancelled'>((resolve) => {
      deadlineTimer = setTimeout(() => resolve('deadline'), Math.max(0, run.deadline - Date.now()));
      onCancel = () => resolve('cancelled');
      run.signal?.addEventListener('abort', onCancel, { once: true });
      if (run.signal?.aborted) onCancel();
    });
    try {
      const first = await Promise.race([outcome, leaves]);
      if (first === 'deadline' || first === 'cancelled') {
        sent.callerLeft = true;
        if (first === 'cancelled') throw this.cancelled(route);
        return { kind: 'fail', failure: deadlinePassed(route) };
      }
      return first;
    } finally {
      clearTimeout(deadlineTimer);
      if (onCancel) run.signal?.removeEventListener('abort', onCancel);
    }
  }

  /** Books an attempt that ended (answer, timeout, network error) and reports it; runs once per attempt. */
  private finish(sent: SentAttempt, answer: { status: number; headers: Record<string, string>; text: string } | undefined, error: unknown): Attempt {
    const { route, run, permit, span } = sent;
    const durationMs = performance.now() - sent.started;
    run.trace?.record(this.vendor, durationMs);
    let result: Attempt;
    let status: AttemptReport['status'];
    let errorKind: string | undefined;
    if (answer) {
      result = this.classify(route, permit, answer.status, answer.headers, answer.text);
      status = answer.status;
      if (result.kind !== 'answer' && result.failure.code === 'VENDOR_BAD_RESPONSE') errorKind = 'malformed';
    } else if (sent.timedOut) {
      const failure: Failure = { code: 'VENDOR_TIMEOUT', message: `${route}: no answer within ${this.timeoutMs} ms`, extra: { timeoutMs: this.timeoutMs } };
      this.settle(permit, 'failure', failure, { timedOut: true });
      result = { kind: 'fail', failure };
      status = 'timeout';
    } else if (this.closed) {
      // Stopped by close(): says nothing about the vendor.
      this.breaker.report(permit, 'neutral');
      result = { kind: 'fail', failure: { code: 'VENDOR_UNAVAILABLE', message: `${route}: the HTTP client is closed` } };
      status = 'aborted';
    } else {
      errorKind = networkCode(error);
      const failure: Failure = { code: 'VENDOR_UNAVAILABLE', message: `${route}: request failed (${errorKind})` };
      this.settle(permit, 'failure', failure);
      result = { kind: 'retry', failure };
      status = 'network';
    }
    const failed = result.kind !== 'answer' && status !== 'aborted';
    if (typeof status === 'number') span.setAttribute('http.response.status_code', status);
    span.setAttributes({ 'opsgraph.outcome': String(status), 'opsgraph.caller_left': sent.callerLeft });
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR, message: result.kind === 'answer' ? '' : result.failure.code });
    span.end();
    const report: AttemptReport = { vendor: this.vendor, route: run.pattern, attempt: sent.attempt, durationMs, status, failed, rateLimitWaitMs: sent.rateLimitWaitMs, callerLeft: sent.callerLeft };
    if (errorKind !== undefined) report.errorKind = errorKind;
    this.observer.attempt(report);
    return result;
  }

  private classify(route: string, permit: BreakerPermit, status: number, headers: Record<string, string>, text: string): Attempt {
    const http = { upstreamStatus: status };
    if (status >= 200 && status < 300) {
      const parsed = parseJson(text);
      if (!parsed.ok) {
        const failure: Failure = { code: 'VENDOR_BAD_RESPONSE', message: `${route}: the ${status} answer is not valid JSON`, extra: http };
        this.settle(permit, 'success', failure, { status });
        return { kind: 'fail', failure };
      }
      this.settle(permit, 'success', undefined, { status });
      return { kind: 'answer', response: { status, headers, body: parsed.value } };
    }
    if (status === 401 || status === 403) {
      const failure: Failure = { code: 'VENDOR_AUTH_FAILED', message: `${route}: the vendor refused our credentials (${status})`, extra: http };
      this.settle(permit, 'success', failure, { status });
      return { kind: 'fail', failure };
    }
    const retryAfterMs = parseRetryAfter(headers['retry-after']);
    if (status === 429) {
      const failure: Failure = { code: 'VENDOR_RATE_LIMITED', message: `${route}: the vendor is rate limiting us (429)`, extra: { ...http, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) } };
      this.settle(permit, 'success', failure, { status });
      return retryAfterMs === undefined ? { kind: 'retry', failure } : { kind: 'retry', failure, retryAfterMs };
    }
    if (status >= 500) {
      const failure: Failure = { code: 'VENDOR_UNAVAILABLE', message: `${route}: the vendor answered ${status}`, extra: http };
      this.settle(permit, 'failure', failure, { status });
      return retryAfterMs === undefined ? { kind: 'retry', failure } : { kind: 'retry', failure, retryAfterMs };
    }
    this.settle(permit, 'success', undefined, { status });
    const parsed = parseJson(text);
    return { kind: 'answer', response: { status, headers, body: parsed.ok ? parsed.value : text } };
  }

  /** Books one sent attempt: breaker, recent outcomes, last error; reports a breaker that changed state. */
  private settle(permit: BreakerPermit, outcome: BreakerOutcome, failure?: Failure, detail: OutcomeDetail = {}): void {
    const before = this.breaker.state;
    this.breaker.report(permit, outcome);
    this.recent.record(failure !== undefined, detail);
    this.lastEnded = { at: Date.now(), hung: detail.timedOut === true };
    if (failure) this.lastError = `${this.vendor}: ${failure.message}`;
    const after = this.breaker.state;
    if (after !== before) this.observer.breakerChanged(this.vendor, after, this.lastError);
  }

  private toError(failure: Failure, tries: number): GraphQLError {
    const message = tries > 1 ? `${failure.message} (after ${tries} attempts)` : failure.message;
    return vendorError(this.vendor, failure.code, message, failure.extra ?? {});
  }

  private breakerOpen(route: string): Failure {
    return {
      code: 'VENDOR_UNAVAILABLE',
      message: `${route}: failing fast, the circuit breaker is open after repeated failures`,
      extra: { breaker: 'open', retryAfterMs: this.breaker.retryInMs() },
    };
  }

  private rateLimitFailure(route: string, error: unknown): Failure {
    if (!(error instanceof RateLimitError)) throw error;
    switch (error.reason) {
      case 'queue-full':
        return { code: 'VENDOR_RATE_LIMITED', message: `${route}: too many calls waiting for the client-side rate limit`, extra: { retryAfterMs: error.retryAfterMs } };
      case 'deadline':
        return deadlinePassed(route);
      case 'aborted':
        throw this.cancelled(route);
      case 'closed':
        return { code: 'VENDOR_UNAVAILABLE', message: `${route}: the HTTP client is closed` };
    }
  }

  /** The GraphQL request went away (its signal fired): nobody will read the answer. */
  private cancelled(route: string): GraphQLError {
    return vendorError(this.vendor, 'VENDOR_TIMEOUT', `${route}: cancelled before the vendor answered`, { cancelled: true });
  }

  /** A signal that fires with the right error when this caller's deadline passes or it is cancelled. */
  private callerSignal(route: string, deadline: number, signal: AbortSignal | undefined): { signal: AbortSignal; dispose(): void } {
    const controller = new AbortController();
    const onCancel = (): void => controller.abort(this.cancelled(route));
    signal?.addEventListener('abort', onCancel, { once: true });
    if (signal?.aborted) onCancel();
    const f = deadlinePassed(route);
    const timer = setTimeout(() => controller.abort(vendorError(this.vendor, f.code, f.message)), Math.max(0, deadline - Date.now()));
    return {
      signal: controller.signal,
      dispose: () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onCancel);
      },
    };
  }
}

/** A vendor error that ends a read (not a caller that went away): worth remembering for the request. */
function isFinalReadFailure(error: unknown): error is GraphQLError {
  const code = errorCode(error);
  if (code === undefined || !code.startsWith('VENDOR_')) return false;
  return (error as GraphQLError).extensions.cancelled !== true;
}

function deadlinePassed(route: string): Failure {
  return { code: 'VENDOR_TIMEOUT', message: `${route}: the request's deadline passed before the vendor answered` };
}

function assertRequest(req: VendorRequest, vendor: VendorName): void {
  if (!METHODS.has(req.method)) throw new TypeError(`${vendor}: unsupported HTTP method ${String(req.method)}`);
  // The path is checked for shape only and not echoed: it is trusted code's, but the query is not in it.
  if (typeof req.path !== 'string' || !req.path.startsWith('/')) throw new TypeError(`${vendor}: request path must start with '/'`);
  if (req.path.includes('?') || req.path.includes('#')) throw new TypeError(`${vendor}: request path must not carry a query or fragment; use query`);
}

/**
 * Keys keep `[`, `]` and `$` literal (`page[number]`, `product_ids[]`, Feathers' `$limit`) as the
 * vendor documents write them; values are fully encoded.
 */
export function encodeQuery(query: VendorRequest['query']): string {
  if (!query || query.length === 0) return '';
  return '?' + query.map(([key, value]) => `${encodeKey(key)}=${encodeURIComponent(value)}`).join('&');
}

function encodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%5B/gi, '[').replace(/%5D/gi, ']').replace(/%24/g, '$');
}

function buildHeaders(req: VendorRequest, auth: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value;
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  // Applied last so a caller's header can never replace the credentials by accident.
  for (const [name, value] of Object.entries(auth)) headers[name.toLowerCase()] = value;
  return headers;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A short, credential-free name for a network failure (the message may quote the request). */
function networkCode(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  for (const candidate of [error, cause]) {
    if (candidate && typeof candidate === 'object' && 'code' in candidate && typeof candidate.code === 'string') return candidate.code;
  }
  return error instanceof Error ? error.name : 'unknown error';
}
