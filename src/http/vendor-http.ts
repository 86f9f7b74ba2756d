import type { GraphQLError } from 'graphql';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { context as otelContext, SpanKind, SpanStatusCode, trace as otelTrace, type Span } from '@opentelemetry/api';
import { Pool } from 'undici';
import { errorCode, vendorError, type ErrorCode, type VendorName } from '../errors.js';
import { CircuitBreaker, type BreakerOutcome, type BreakerPermit, type BreakerState } from './circuit-breaker.js';
import { SingleFlight } from '../cache/single-flight.js';
import { assertVendorHttpOptions, DEFAULT_CONNECTIONS, DEFAULT_DEADLINE_MS, parseBaseUrl, type VendorHttpOptions } from './options.js';
import { silentObserver, type AttemptReport, type BreakerKind, type VendorHttpObserver } from './observer.js';
import { ANONYMOUS_CLIENT, RateLimitError, SlidingWindowScheduler, type RateLimitGrant, type RateLimiter } from './rate-limiter.js';
import { RecentOutcomes, type OutcomeDetail } from './recent-outcomes.js';
import { RoutePatterns } from './route-pattern.js';
import { backoffDelay, parseRetryAfter } from './retry.js';
import type { UpstreamTrace } from './trace.js';
import type { HttpMethod, CallReservation, CallScope, VendorRequest, VendorResponse } from './types.js';

export { defaultHttpOptions, type VendorHttpOptions } from './options.js';

export interface VendorHealth {
  vendor: VendorName;
  /** The read breaker (what /readyz judges the vendor by). */
  breaker: BreakerState;
  /** The write breaker: writes whose answers were lost open it, never the read one. */
  writeBreaker: BreakerState;
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
  priority?: CallScope['priority'];
  client?: string;
  /** A budget place taken before the call was built: the first attempt sends under it. */
  reserved?: CallReservation;
  /** The read breaker for a GET, the write breaker for every other method. */
  breaker: CircuitBreaker;
  /** A write (not GET): its failures say whether it may have reached the vendor (`written`). */
  write: boolean;
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
  /** The rate-limit grant, held until the vendor has answered (or the attempt ended). */
  grant: RateLimitGrant | undefined;
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
  /**
   * Writes have their own breaker: a write whose answer was lost (the vendor applied it, the
   * connection died) says nothing about whether the vendor can serve reads, so it must not make
   * healthy reads fail fast. Reads are what /readyz and `health()` report.
   */
  private readonly writeBreaker: CircuitBreaker;
  private readonly coalescer: SingleFlight<VendorResponse> | undefined;
  private readonly recent = new RecentOutcomes();
  private readonly routes: RoutePatterns;
  private readonly observer: VendorHttpObserver;
  /** Attempts still running, possibly after their caller left: aborted by `close()`. */
  private readonly running = new Set<AbortController>();
  /** When the latest attempt ended, and whether it hung past its timeout (for `health().hanging`). */
  private lastEnded: { at: number; hung: boolean } | undefined;
  /** Reads that failed for good, per call scope (one GraphQL request): see `request`. */
  private readonly failedReads = new WeakMap<object, Map<string, GraphQLError>>();
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
    this.limiter = deps.rateLimiter ?? (options.rateLimit ? new SlidingWindowScheduler(options.rateLimit) : undefined);
    this.breaker = new CircuitBreaker(options.breaker);
    this.writeBreaker = new CircuitBreaker(options.breaker);
    // An identical read nobody waits for any more is aborted: its answer is not kept anywhere.
    this.coalescer = options.coalesce ? new SingleFlight<VendorResponse>({ deadlineMs: this.deadlineMs, whenAbandoned: 'abort' }) : undefined;
    this.routes = new RoutePatterns(options.routes);
    this.observer = deps.observer ?? silentObserver;
  }

  /** The per-call timeout of one attempt. */
  get attemptTimeoutMs(): number {
    return this.timeoutMs;
  }

  /** Callers waiting for the client-side rate limit now (0 without one): read at each /metrics scrape. */
  get rateLimitQueued(): number {
    return this.limiter?.queued ?? 0;
  }

  /**
   * Sends one call. Resolves with 2xx answers and with 4xx other than 401/403/429 (the data source
   * maps those itself); rejects with a `vendorError` otherwise (see `src/errors.ts` for the codes).
   */
  async request(req: VendorRequest, scope: CallScope = {}): Promise<VendorResponse> {
    try {
      return await this.dispatch(req, scope);
    } finally {
      // A reserved place the call never used (refused before sending) goes back to the budget.
      scope.reserved?.release();
    }
  }

  /**
   * Waits now for one call's place in the vendor's budget, so that the caller decides what to ask
   * only once the call can go out (a cross-request batch takes the keys that arrived meanwhile):
   * the next `request()` with `{ ...scope, reserved }` sends under it without queueing again.
   * Rejects like a call refused by the budget (VENDOR_RATE_LIMITED when the queue is full,
   * VENDOR_TIMEOUT at the scope's deadline, cancelled on its signal).
   */
  async reserve(scope: CallScope, route: string): Promise<CallReservation> {
    if (this.closed) throw vendorError(this.vendor, 'VENDOR_UNAVAILABLE', `${route}: the HTTP client is closed`);
    if (!this.limiter) return reservationOf(undefined);
    const deadline = Math.min(scope.deadline ?? Infinity, Date.now() + this.deadlineMs);
    const queuedAt = performance.now();
    let grant: RateLimitGrant;
    try {
      grant = await this.limiter.acquire(deadline, scope.signal, { priority: scope.priority ?? 'interactive', client: scope.client ?? ANONYMOUS_CLIENT });
    } catch (error) {
      const failure = notSent(this.rateLimitFailure(route, error));
      throw vendorError(this.vendor, failure.code, failure.message, withoutWritten(failure.extra));
    }
    this.observer.rateLimitWait(this.vendor, performance.now() - queuedAt);
    return reservationOf(grant);
  }

  private async dispatch(req: VendorRequest, scope: CallScope): Promise<VendorResponse> {
    assertRequest(req, this.vendor);
    const route = `${req.method} ${req.path}`;
    if (this.closed) throw vendorError(this.vendor, 'VENDOR_UNAVAILABLE', `${route}: the HTTP client is closed`);
    const deadline = Math.min(scope.deadline ?? Infinity, Date.now() + this.deadlineMs);
    const idempotent = req.idempotent ?? req.method === 'GET';
    const target = this.prefix + req.path + encodeQuery(req.query);
    const pattern = this.routes.routeOf(req.method, req.path);

    if (!idempotent || req.method !== 'GET') {
      return this.execute(req, target, route, idempotent, this.run(req, pattern, scope, deadline, scope.signal));
    }
    const key = `${target}\n${req.headers ? JSON.stringify(Object.entries(req.headers).sort()) : ''}`;
    // A read that already failed for good in this GraphQL request is not sent again: its retries
    // are spent, and a second lookup of the same relation (a later DataLoader batch, an index
    // refresh asked for twice) would only repeat them against a vendor that is failing.
    const failed = this.failedReads.get(scope.request ?? scope)?.get(key);
    if (failed) throw failed;
    try {
      return await this.read(req, target, route, pattern, key, deadline, scope);
    } catch (error) {
      if (isFinalReadFailure(error)) {
        let failures = this.failedReads.get(scope.request ?? scope);
        if (!failures) this.failedReads.set(scope.request ?? scope, (failures = new Map()));
        failures.set(key, error);
      }
      throw error;
    }
  }

  private async read(req: VendorRequest, target: string, route: string, pattern: string, key: string, deadline: number, scope: CallScope): Promise<VendorResponse> {
    // A call with a reserved place is its own: joining another caller's identical read would waste the place.
    if (!this.coalescer || scope.reserved) return this.execute(req, target, route, true, this.run(req, pattern, scope, deadline, scope.signal));
    // The shared call runs under the first caller's trace and queue place, but its own deadline
    // and signal; each caller still leaves on its own deadline or signal (see SingleFlight).
    const caller = this.callerSignal(route, deadline, scope.signal);
    try {
      const { value, shared } = await this.coalescer.run(key, (work) => this.execute(req, target, route, true, this.run(req, pattern, scope, work.deadline, work.signal)), {
        signal: caller.signal,
      });
      // Each caller gets its own copy, so no caller can mutate what another one reads.
      return shared ? structuredClone(value) : value;
    } finally {
      caller.dispose();
    }
  }

  private run(req: VendorRequest, pattern: string, scope: CallScope, deadline: number, signal: AbortSignal | undefined): Run {
    const write = req.method !== 'GET';
    return { ...queueing(scope), pattern, trace: scope.trace, deadline, signal, breaker: write ? this.writeBreaker : this.breaker, write };
  }

  health(): VendorHealth {
    const { calls, errorRate, timeouts, statuses } = this.recent.snapshot();
    const hanging = this.lastEnded !== undefined && this.lastEnded.hung && Date.now() - this.lastEnded.at < RECENT_MS;
    const health: VendorHealth = {
      vendor: this.vendor,
      breaker: this.breaker.state,
      writeBreaker: this.writeBreaker.state,
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
      if (result.kind === 'fail' || !idempotent || attempt >= this.retries.max) throw this.toError(result.failure, tries, run);
      const wait = result.retryAfterMs ?? backoffDelay(attempt, this.retries);
      // Waiting past the deadline only to fail then would hold the GraphQL response for nothing.
      if (Date.now() + wait >= run.deadline) throw this.toError(result.failure, tries, run);
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
    if (Date.now() >= run.deadline) return { kind: 'fail', failure: notSent(deadlinePassed(route)) };
    // Checked before queueing for a token too, so callers do not wait in line behind a dead vendor.
    if (run.breaker.state === 'open') return { kind: 'fail', failure: notSent(this.breakerOpen(route, run.breaker)) };

    let auth: Record<string, string>;
    try {
      auth = await this.authHeaders();
    } catch (error) {
      // A vendor error from minting the token (Distru's session call) is already safe to show.
      if (errorCode(error) !== undefined) throw error;
      // Anything else may quote the secret it failed on: say only that it failed.
      return { kind: 'fail', failure: notSent({ code: 'VENDOR_AUTH_FAILED', message: `${route}: could not obtain credentials` }) };
    }

    // MAX_VENDOR_CALLS_PER_REQUEST: refused before sending (and before taking a rate-limit token).
    if (run.trace && !run.trace.admit()) {
      return {
        kind: 'fail',
        failure: { code: 'UPSTREAM_BUDGET_EXCEEDED', message: `${route}: not sent, this request already used its ${run.trace.budget} vendor calls (MAX_VENDOR_CALLS_PER_REQUEST)`, extra: { limit: run.trace.budget } },
      };
    }

    // The first attempt of a call whose place was reserved sends under it; retries queue again.
    let grant: RateLimitGrant | undefined = attemptNo === 1 ? run.reserved?.take() : undefined;
    let rateLimitWaitMs = 0;
    if (this.limiter && !grant) {
      const queuedAt = performance.now();
      try {
        grant = await this.limiter.acquire(run.deadline, run.signal, { priority: run.priority ?? 'interactive', client: run.client ?? ANONYMOUS_CLIENT });
      } catch (error) {
        return { kind: 'fail', failure: notSent(this.rateLimitFailure(route, error)) };
      }
      rateLimitWaitMs = performance.now() - queuedAt;
      this.observer.rateLimitWait(this.vendor, rateLimitWaitMs);
    }
    const permit = run.breaker.tryAcquire();
    if (!permit) {
      grant?.release();
      return { kind: 'fail', failure: notSent(this.breakerOpen(route, run.breaker)) };
    }

    if (run.deadline - Date.now() <= 0) {
      grant?.release();
      run.breaker.report(permit, 'neutral');
      return { kind: 'fail', failure: notSent(deadlinePassed(route)) };
    }
    return this.send(req, target, route, run, permit, auth, { attempt: attemptNo, rateLimitWaitMs, grant });
  }

  private async send(
    req: VendorRequest,
    target: string,
    route: string,
    run: Run,
    permit: BreakerPermit,
    auth: Record<string, string>,
    info: { attempt: number; rateLimitWaitMs: number; grant: RateLimitGrant | undefined },
  ): Promise<Attempt> {
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
    const sent: SentAttempt = { route, run, permit, span, attempt: info.attempt, rateLimitWaitMs: info.rateLimitWaitMs, grant: info.grant, started: performance.now(), timedOut: false, callerLeft: false };
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
      this.pool.request({ method: req.method, path: target, headers, body: req.body === undefined ? null : JSON.stringify(req.body), signal: controller.signal }).then(async (res) => {
        // The answer's head is back: the vendor has counted the call by now.
        sent.grant?.release();
        // Read every body, even of an error, so the socket goes back to the pool.
        return { status: res.statusCode, headers: flattenHeaders(res.headers), text: await res.body.text() };
      }),
    );
    const outcome: Promise<Attempt> = exchange
      .then(
        (answer) => this.finish(sent, answer, undefined),
        (error: unknown) => this.finish(sent, undefined, error),
      )
      .finally(() => {
        sent.grant?.release();
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
        // A write was sent: its caller leaving does not unmake it, so its outcome is unknown.
        if (first === 'cancelled') {
          if (run.write) throw this.toError(answerLost({ code: 'VENDOR_TIMEOUT', message: `${route}: cancelled before the vendor answered` }), 1, run);
          throw this.cancelled(route);
        }
        return { kind: 'fail', failure: run.write ? answerLost(deadlinePassed(route)) : deadlinePassed(route) };
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
      result = this.classify(route, run, permit, answer.status, answer.headers, answer.text);
      status = answer.status;
      if (result.kind !== 'answer' && result.failure.code === 'VENDOR_BAD_RESPONSE') errorKind = 'malformed';
    } else if (sent.timedOut) {
      const failure: Failure = { code: 'VENDOR_TIMEOUT', message: `${route}: no answer within ${this.timeoutMs} ms`, extra: { timeoutMs: this.timeoutMs } };
      this.settle(run, permit, 'failure', failure, { timedOut: true });
      result = { kind: 'fail', failure: run.write ? answerLost(failure) : failure };
      status = 'timeout';
    } else if (this.closed) {
      // Stopped by close(): says nothing about the vendor (but a write may have reached it).
      run.breaker.report(permit, 'neutral');
      const failure: Failure = { code: 'VENDOR_UNAVAILABLE', message: `${route}: the HTTP client is closed` };
      result = { kind: 'fail', failure: run.write ? answerLost(failure) : failure };
      status = 'aborted';
    } else {
      errorKind = networkCode(error);
      const failure: Failure = { code: 'VENDOR_UNAVAILABLE', message: `${route}: request failed (${errorKind})` };
      this.settle(run, permit, 'failure', failure);
      result = { kind: 'retry', failure: run.write ? (NOT_CONNECTED.has(errorKind) ? notSent(failure) : answerLost(failure)) : failure };
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

  private classify(route: string, run: Run, permit: BreakerPermit, status: number, headers: Record<string, string>, text: string): Attempt {
    const http = { upstreamStatus: status };
    const detail = { status };
    if (status >= 200 && status < 300) {
      const parsed = parseJson(text);
      if (!parsed.ok) {
        // A 2xx to a write means it was applied: only its answer is unreadable.
        const failure: Failure = { code: 'VENDOR_BAD_RESPONSE', message: `${route}: the ${status} answer is not valid JSON`, extra: run.write ? { ...http, written: true } : http };
        this.settle(run, permit, 'success', failure, detail);
        return { kind: 'fail', failure };
      }
      this.settle(run, permit, 'success', undefined, detail);
      return { kind: 'answer', response: { status, headers, body: parsed.value } };
    }
    if (status === 401 || status === 403) {
      const failure: Failure = { code: 'VENDOR_AUTH_FAILED', message: `${route}: the vendor refused our credentials (${status})`, extra: run.write ? { ...http, written: false } : http };
      this.settle(run, permit, 'success', failure, detail);
      return { kind: 'fail', failure };
    }
    const retryAfterMs = parseRetryAfter(headers['retry-after']);
    if (status === 429) {
      const extra = { ...http, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), ...(run.write ? { written: false } : {}) };
      const failure: Failure = { code: 'VENDOR_RATE_LIMITED', message: `${route}: the vendor is rate limiting us (429)`, extra };
      this.settle(run, permit, 'success', failure, detail);
      return retryAfterMs === undefined ? { kind: 'retry', failure } : { kind: 'retry', failure, retryAfterMs };
    }
    if (status >= 500) {
      // A 5xx to a write does not say whether the vendor applied it before failing.
      const failure: Failure = { code: 'VENDOR_UNAVAILABLE', message: `${route}: the vendor answered ${status}`, extra: run.write ? { ...http, written: 'unknown' } : http };
      this.settle(run, permit, 'failure', failure, detail);
      return retryAfterMs === undefined ? { kind: 'retry', failure } : { kind: 'retry', failure, retryAfterMs };
    }
    this.settle(run, permit, 'success', undefined, detail);
    const parsed = parseJson(text);
    return { kind: 'answer', response: { status, headers, body: parsed.ok ? parsed.value : text } };
  }

  /** Books one sent attempt: its breaker, recent outcomes, last error; reports a breaker that changed state. */
  private settle(run: Run, permit: BreakerPermit, outcome: BreakerOutcome, failure?: Failure, detail: OutcomeDetail = {}): void {
    const before = run.breaker.state;
    run.breaker.report(permit, outcome);
    this.recent.record(failure !== undefined, detail);
    this.lastEnded = { at: Date.now(), hung: detail.timedOut === true };
    if (failure) this.lastError = `${this.vendor}: ${failure.message}`;
    const after = run.breaker.state;
    const kind: BreakerKind = run.write ? 'write' : 'read';
    if (after !== before) this.observer.breakerChanged(this.vendor, kind, after, this.lastError);
  }

  private toError(failure: Failure, tries: number, run: Run): GraphQLError {
    const message = tries > 1 ? `${failure.message} (after ${tries} attempts)` : failure.message;
    // Only a write's failure says whether it was written; a read's never carries `written`.
    const extra = run.write ? (failure.extra ?? {}) : withoutWritten(failure.extra);
    return vendorError(this.vendor, failure.code, message, extra);
  }

  private breakerOpen(route: string, breaker: CircuitBreaker): Failure {
    return {
      code: 'VENDOR_UNAVAILABLE',
      message: `${route}: failing fast, the circuit breaker is open after repeated failures`,
      extra: { breaker: 'open', retryAfterMs: breaker.retryInMs() },
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

/** Where a call waits in the vendor's queue: its priority and client, as the scope says. */
function queueing(scope: CallScope): Pick<Run, 'priority' | 'client' | 'reserved'> {
  return { ...(scope.priority ? { priority: scope.priority } : {}), ...(scope.client ? { client: scope.client } : {}), ...(scope.reserved ? { reserved: scope.reserved } : {}) };
}

/** A budget place handed out once; never taken, it can be given back. */
function reservationOf(grant: RateLimitGrant | undefined): CallReservation {
  let held = grant !== undefined;
  return {
    take: () => {
      if (!held) return undefined;
      held = false;
      return grant;
    },
    release: () => {
      if (!held) return;
      held = false;
      grant?.release();
    },
  };
}

/** Network failures that happen before a request can reach the vendor: a write there was not made. */
const NOT_CONNECTED: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** A failure before the call was sent: a write was certainly not made (`written: false`). */
function notSent(failure: Failure): Failure {
  return { ...failure, extra: { ...failure.extra, written: false } };
}

/**
 * A write was sent and its answer never came (reset, closed, timed out): the vendor may have
 * applied it. OUTCOME_UNKNOWN tells the client not to take it for a failure, nor to send it blindly
 * again: a retry with the same idempotency key looks for it first (src/mutations/idempotency-store.ts).
 */
function answerLost(failure: Failure): Failure {
  return {
    code: 'OUTCOME_UNKNOWN',
    message: `${failure.message}: the write was sent but its answer was lost, so it may or may not have been applied`,
    extra: { ...failure.extra, written: 'unknown', cause: failure.code },
  };
}

function withoutWritten(extra: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!extra || !('written' in extra)) return extra ?? {};
  const { written: _written, ...rest } = extra;
  return rest;
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
