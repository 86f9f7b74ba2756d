import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  backoffDelay,
  CircuitBreaker,
  defaultHttpOptions,
  isRetryableStatus,
  parseRetryAfter,
  RateLimitError,
  RecentOutcomes,
  SlidingWindowScheduler,
  type RateLimitGrant,
  UpstreamTrace,
  VendorHttp,
} from '../../src/http/index.js';
import { toyOptions } from './toy-vendor.js';

describe('backoffDelay', () => {
  it('draws from [0, base * 2^attempt), capped at maxDelayMs', () => {
    const options = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([0, 1, 2, 3, 4].map((a) => backoffDelay(a, options, () => 0.999))).toEqual([99, 199, 399, 799, 999]);
    expect(backoffDelay(3, options, () => 0)).toBe(0);
    expect(backoffDelay(1, options, () => 0.5)).toBe(100);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });
  it('reads an HTTP date, and a date in the past as 0', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 12:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Wed, 01 May 2024 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores an absent or unreadable value', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
  });
});

describe('isRetryableStatus', () => {
  it('retries 429 and 5xx only', () => {
    expect([200, 400, 401, 404, 409, 429, 500, 502, 503].filter(isRetryableStatus)).toEqual([429, 500, 502, 503]);
  });
});

describe('CircuitBreaker', () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => void (t += ms) };
  };

  it('opens after failureThreshold consecutive failures, a success in between resets the count', () => {
    const c = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 100, now: c.now });
    const fail = () => breaker.report(breaker.tryAcquire()!, 'failure');
    fail();
    breaker.report(breaker.tryAcquire()!, 'success');
    fail();
    expect(breaker.state).toBe('closed');
    fail();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBeNull();
    expect(breaker.retryInMs()).toBe(100);
  });

  it('lets one probe through after openMs; its failure reopens, its success closes', () => {
    const c = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 100, now: c.now });
    breaker.report(breaker.tryAcquire()!, 'failure');
    c.advance(100);
    expect(breaker.state).toBe('half-open');
    const probe = breaker.tryAcquire();
    expect(probe).toEqual({ probe: true });
    expect(breaker.tryAcquire()).toBeNull();
    breaker.report(probe!, 'failure');
    expect(breaker.state).toBe('open');
    c.advance(100);
    breaker.report(breaker.tryAcquire()!, 'success');
    expect(breaker.state).toBe('closed');
  });

  it('hands the probe to the next caller when the probe ends without a verdict', () => {
    const c = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 0, now: c.now });
    breaker.report(breaker.tryAcquire()!, 'failure');
    breaker.report(breaker.tryAcquire()!, 'neutral');
    expect(breaker.tryAcquire()).toEqual({ probe: true });
  });

  it('ignores late outcomes of calls let through before it opened', () => {
    const c = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 100, now: c.now });
    const early = breaker.tryAcquire()!;
    breaker.report(breaker.tryAcquire()!, 'failure');
    breaker.report(early, 'success');
    expect(breaker.state).toBe('open');
  });

  it('refuses a bad threshold, naming it', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0, openMs: 1 })).toThrow('breaker.failureThreshold must be a positive integer, got 0');
  });
});

describe('SlidingWindowScheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Grant times (fake clock) of each caller, in grant order; each call answers at once. */
  function recorder() {
    const grants: { who: string; at: number }[] = [];
    return {
      grants,
      mark: (who: string) => (grant: RateLimitGrant) => {
        grants.push({ who, at: Date.now() });
        grant.release();
      },
    };
  }

  it('never grants more than maxCalls in any window, even after a quiet spell (no burst)', async () => {
    vi.useFakeTimers();
    const scheduler = new SlidingWindowScheduler({ maxCalls: 2, windowMs: 1_000, maxQueue: 20 });
    const { grants, mark } = recorder();
    const start = Date.now();
    const all = Array.from({ length: 7 }, (_, i) => scheduler.acquire().then(mark(String(i))));
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(all);
    expect(grants.map((g) => g.at - start)).toEqual([0, 0, 1_000, 1_000, 2_000, 2_000, 3_000]);
    // After a quiet spell, still two per window: a token bucket would have let its burst go on top.
    await vi.advanceTimersByTimeAsync(5_000);
    const later = Date.now();
    const late = Array.from({ length: 3 }, (_, i) => scheduler.acquire().then(mark(`late${i}`)));
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(late);
    expect(grants.slice(7).map((g) => g.at - later)).toEqual([0, 0, 1_000]);
  });

  it('counts a call from when its answer came back, the latest the vendor can have counted it', async () => {
    vi.useFakeTimers();
    const scheduler = new SlidingWindowScheduler({ maxCalls: 1, windowMs: 1_000, maxQueue: 5 });
    const start = Date.now();
    const first = await scheduler.acquire();
    let secondAt: number | undefined;
    const second = scheduler.acquire().then((grant) => {
      secondAt = Date.now() - start;
      grant.release();
    });
    // The first call takes 300 ms to answer: the vendor may have counted it as late as that.
    await vi.advanceTimersByTimeAsync(300);
    first.release();
    await vi.advanceTimersByTimeAsync(999);
    expect(secondAt).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await second;
    expect(secondAt).toBe(1_300);
  });

  it('lets a grant that is never released leave the window after maxHoldMs', async () => {
    vi.useFakeTimers();
    const scheduler = new SlidingWindowScheduler({ maxCalls: 1, windowMs: 1_000, maxQueue: 5, maxHoldMs: 5_000 });
    await scheduler.acquire(); // never released
    let granted = false;
    const next = scheduler.acquire().then((grant) => {
      granted = true;
      grant.release();
    });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(granted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await next;
    expect(granted).toBe(true);
  });

  it('starts full when asked: a new process (a restart) makes its first calls one whole window after it started, never on top of its predecessor\'s', async () => {
    vi.useFakeTimers();
    const start = Date.now();
    const scheduler = new SlidingWindowScheduler({ maxCalls: 2, windowMs: 1_000, guardMs: 10, maxQueue: 20, fullAtStart: true });
    const { grants, mark } = recorder();
    const all = [0, 1, 2].map((i) => scheduler.acquire().then(mark(String(i))));
    await vi.advanceTimersByTimeAsync(1_009);
    expect(grants).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(grants.map((g) => g.at - start)).toEqual([1_010, 1_010]);
    await vi.advanceTimersByTimeAsync(1_010);
    await Promise.all(all);
    // Then the ordinary window: two per 1,010 ms, each counted from its answer.
    expect(grants.map((g) => g.at - start)).toEqual([1_010, 1_010, 2_020]);
    // A caller arriving once the first window has passed, with room in the window, goes at once.
    await vi.advanceTimersByTimeAsync(5_000);
    const late = Date.now();
    await scheduler.acquire().then(mark('late'));
    expect(grants.at(-1)).toEqual({ who: 'late', at: late });
  });

  it('starts empty by default: the first maxCalls calls go at once', async () => {
    vi.useFakeTimers();
    const start = Date.now();
    const scheduler = new SlidingWindowScheduler({ maxCalls: 2, windowMs: 1_000, maxQueue: 20 });
    const { grants, mark } = recorder();
    await Promise.all([0, 1].map((i) => scheduler.acquire().then(mark(String(i)))));
    expect(grants.map((g) => g.at - start)).toEqual([0, 0]);
  });

  it('widens the window by guardMs', async () => {
    vi.useFakeTimers();
    const scheduler = new SlidingWindowScheduler({ maxCalls: 1, windowMs: 1_000, guardMs: 50, maxQueue: 5 });
    const { grants, mark } = recorder();
    const start = Date.now();
    const all = [0, 1, 2].map((i) => scheduler.acquire().then(mark(String(i))));
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all(all);
    expect(grants.map((g) => g.at - start)).toEqual([0, 1_050, 2_100]);
  });

  it('serves interactive callers before background ones', async () => {
    vi.useFakeTimers();
    const scheduler = new SlidingWindowScheduler({ maxCalls: 1, windowMs: 100, maxQueue: 20 });
    const { grants, mark } = recorder();
    (await scheduler.acquire()).release();
    const all = [
      scheduler.acquire(undefined, undefined, { priority: 'background' }).then(mark('sync1')),
      scheduler.acquire(undefined, undefined, { priority: 'background' }).then(mark('sync2')),
      scheduler.acquire(undefined, undefined, { client: 'bi' }).then(mark('bi')),
    ];
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(all);
    expect(grants.map((g) => g.who)).toEqual(['bi', 'sync1', 'sync2']);
  });

  it("takes clients in turn, so one client's heavy query cannot starve another's single call", async () => {
    vi.useFakeTimers();
    const scheduler = new SlidingWindowScheduler({ maxCalls: 1, windowMs: 100, maxQueue: 50 });
    const { grants, mark } = recorder();
    (await scheduler.acquire()).release();
    const heavy = Array.from({ length: 10 }, (_, i) => scheduler.acquire(undefined, undefined, { client: 'heavy' }).then(mark(`heavy${i}`)));
    const single = scheduler.acquire(undefined, undefined, { client: 'frontend' }).then(mark('frontend'));
    const anonymous = scheduler.acquire().then(mark('anonymous'));
    await vi.advanceTimersByTimeAsync(2_000);
    await Promise.all([...heavy, single, anonymous]);
    expect(grants.slice(0, 4).map((g) => g.who)).toEqual(['heavy0', 'frontend', 'anonymous', 'heavy1']);
    expect(grants.map((g) => g.who).filter((w) => w.startsWith('heavy'))).toEqual(Array.from({ length: 10 }, (_, i) => `heavy${i}`));
  });

  it('refuses a caller beyond maxQueue at once, saying when the queue ahead has drained', async () => {
    vi.useFakeTimers();
    const scheduler = new SlidingWindowScheduler({ maxCalls: 1, windowMs: 1_000, maxQueue: 1 });
    (await scheduler.acquire()).release();
    const queued = scheduler.acquire();
    await expect(scheduler.acquire()).rejects.toMatchObject({ reason: 'queue-full', retryAfterMs: 2_000 });
    expect(scheduler.queued).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await queued;
  });

  it('drops a waiter whose deadline passes, and the next in line moves up', async () => {
    vi.useFakeTimers();
    const scheduler = new SlidingWindowScheduler({ maxCalls: 1, windowMs: 1_000, maxQueue: 5 });
    (await scheduler.acquire()).release();
    const late = scheduler.acquire(Date.now() + 100);
    const patient = scheduler.acquire();
    const lateResult = late.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(await lateResult).toBeInstanceOf(RateLimitError);
    expect(((await lateResult) as RateLimitError).reason).toBe('deadline');
    expect(scheduler.queued).toBe(1);
    await vi.advanceTimersByTimeAsync(900);
    await patient;
  });

  it('drops a waiter whose signal fires, and rejects everyone on close', async () => {
    vi.useFakeTimers();
    const scheduler = new SlidingWindowScheduler({ maxCalls: 1, windowMs: 1_000, maxQueue: 5 });
    (await scheduler.acquire()).release();
    const controller = new AbortController();
    const aborted = scheduler.acquire(undefined, controller.signal).catch((e: RateLimitError) => e.reason);
    const closed = scheduler.acquire(undefined, undefined, { priority: 'background' }).catch((e: RateLimitError) => e.reason);
    controller.abort();
    expect(await aborted).toBe('aborted');
    scheduler.close();
    expect(await closed).toBe('closed');
    await expect(scheduler.acquire()).rejects.toMatchObject({ reason: 'closed' });
  });

  it('refuses a bad window, naming it', () => {
    expect(() => new SlidingWindowScheduler({ maxCalls: 0, windowMs: 1_000, maxQueue: 1 })).toThrow('rateLimit.maxCalls must be a positive integer, got 0');
    expect(() => new SlidingWindowScheduler({ maxCalls: 1, windowMs: 0, maxQueue: 1 })).toThrow('rateLimit.windowMs must be a positive number, got 0');
  });
});

describe('RecentOutcomes', () => {
  it('forgets outcomes older than the window', () => {
    let t = 0;
    const recent = new RecentOutcomes(60, () => t);
    recent.record(true);
    t = 30_000;
    recent.record(false);
    expect(recent.snapshot()).toMatchObject({ calls: 2, errors: 1, errorRate: 0.5 });
    t = 60_500;
    expect(recent.snapshot()).toMatchObject({ calls: 1, errors: 0, errorRate: 0 });
    t = 200_000;
    expect(recent.snapshot()).toMatchObject({ calls: 0, errors: 0, errorRate: 0 });
  });
});

describe('UpstreamTrace', () => {
  it('counts calls per vendor and sums their time', () => {
    const trace = new UpstreamTrace();
    trace.record('distru', 10.4);
    trace.record('distru', 5);
    trace.record('pharus', 1);
    expect(trace.toJSON()).toEqual({ calls: 3, byVendor: { isolocity: 0, pharus: 1, distru: 2, hapihub: 0 }, ms: 16 });
  });
});

describe('options', () => {
  it('gives Distru a 2 calls/s budget by default, starting full (a restart waits out its predecessor\'s second); the other vendors start at once', () => {
    expect(defaultHttpOptions('distru').rateLimit).toEqual({ maxCalls: 2, windowMs: 1_000, guardMs: 10, maxQueue: 20, fullAtStart: true });
    for (const vendor of ['isolocity', 'pharus', 'hapihub'] as const) expect(defaultHttpOptions(vendor).rateLimit?.fullAtStart).toBeUndefined();
    expect(defaultHttpOptions('distru', 5).rateLimit?.maxCalls).toBe(5);
    expect(defaultHttpOptions('pharus')).toMatchObject({ vendor: 'pharus', coalesce: true, retries: { max: 2 } });
  });

  it('refuses a base URL with credentials in it without echoing them', () => {
    const make = () => new VendorHttp(toyOptions('http://user:hunter2@127.0.0.1:1'));
    expect(make).toThrow('hapihub: baseUrl must not carry credentials; use authHeaders');
    expect(make).not.toThrow(/hunter2/);
  });

  it('refuses a bad timeout, naming it', () => {
    expect(() => new VendorHttp(toyOptions('http://127.0.0.1:1', { timeoutMs: -5 }))).toThrow('hapihub: timeoutMs must be a positive number, got -5');
  });
});
