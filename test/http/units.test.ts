import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  backoffDelay,
  CircuitBreaker,
  Coalescer,
  defaultHttpOptions,
  isRetryableStatus,
  parseRetryAfter,
  RateLimitError,
  RecentOutcomes,
  TokenBucket,
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

describe('TokenBucket', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('grants the burst at once, then one token per 1/perSecond, in FIFO order', async () => {
    vi.useFakeTimers();
    const bucket = new TokenBucket({ perSecond: 10, burst: 2, maxQueue: 5 });
    const order: number[] = [];
    const all = [0, 1, 2, 3].map((i) => bucket.acquire().then(() => order.push(i)));
    await Promise.resolve();
    await Promise.resolve();
    expect(order).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(99);
    expect(order).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(order).toEqual([0, 1, 2]);
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('refuses a caller beyond maxQueue at once', async () => {
    vi.useFakeTimers();
    const bucket = new TokenBucket({ perSecond: 1, burst: 1, maxQueue: 1 });
    await bucket.acquire();
    const queued = bucket.acquire();
    await expect(bucket.acquire()).rejects.toMatchObject({ reason: 'queue-full', retryAfterMs: 2_000 });
    expect(bucket.queued).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await queued;
  });

  it('drops a waiter whose deadline passes, and the next in line moves up', async () => {
    vi.useFakeTimers();
    const bucket = new TokenBucket({ perSecond: 1, burst: 1, maxQueue: 5 });
    await bucket.acquire();
    const late = bucket.acquire(Date.now() + 100);
    const patient = bucket.acquire();
    const lateResult = late.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(await lateResult).toBeInstanceOf(RateLimitError);
    expect(((await lateResult) as RateLimitError).reason).toBe('deadline');
    expect(bucket.queued).toBe(1);
    await vi.advanceTimersByTimeAsync(900);
    await patient;
  });

  it('drops a waiter whose signal fires, and rejects everyone on close', async () => {
    vi.useFakeTimers();
    const bucket = new TokenBucket({ perSecond: 1, burst: 1, maxQueue: 5 });
    await bucket.acquire();
    const controller = new AbortController();
    const aborted = bucket.acquire(undefined, controller.signal).catch((e: RateLimitError) => e.reason);
    const closed = bucket.acquire().catch((e: RateLimitError) => e.reason);
    controller.abort();
    expect(await aborted).toBe('aborted');
    bucket.close();
    expect(await closed).toBe('closed');
    await expect(bucket.acquire()).rejects.toMatchObject({ reason: 'closed' });
  });

  it('refuses a bad rate, naming it', () => {
    expect(() => new TokenBucket({ perSecond: 0, burst: 1, maxQueue: 1 })).toThrow('rateLimit.perSecond must be a positive number, got 0');
  });
});

describe('Coalescer', () => {
  it('runs once per key while in flight, copying the value for each caller when shared', async () => {
    const coalescer = new Coalescer<{ n: number[] }>();
    let runs = 0;
    let release: (v: { n: number[] }) => void = () => undefined;
    const fn = () => {
      runs++;
      return new Promise<{ n: number[] }>((resolve) => (release = resolve));
    };
    const a = coalescer.run('k', fn, { copy: structuredClone });
    const b = coalescer.run('k', fn, { copy: structuredClone });
    expect(coalescer.size).toBe(1);
    const original = { n: [1] };
    release(original);
    const [ra, rb] = await Promise.all([a, b]);
    expect(runs).toBe(1);
    expect([ra.joined, rb.joined]).toEqual([false, true]);
    expect(ra.value).toEqual(original);
    expect(ra.value).not.toBe(original);
    expect(rb.value).not.toBe(ra.value);
    expect(coalescer.size).toBe(0);
  });

  it('hands a lone caller the value itself', async () => {
    const coalescer = new Coalescer<{ n: number }>();
    const value = { n: 1 };
    expect((await coalescer.run('k', async () => value, { copy: structuredClone })).value).toBe(value);
  });

  it('aborts the shared call only when every caller has left', async () => {
    const coalescer = new Coalescer<number>();
    let shared: AbortSignal | undefined;
    const fn = (signal: AbortSignal) => {
      shared = signal;
      return new Promise<number>(() => undefined);
    };
    const one = new AbortController();
    const two = new AbortController();
    const a = coalescer.run('k', fn, { signal: one.signal, copy: (v) => v }).catch((e: unknown) => e);
    const b = coalescer.run('k', fn, { signal: two.signal, copy: (v) => v }).catch((e: unknown) => e);
    one.abort('first gave up');
    expect(await a).toBe('first gave up');
    expect(shared?.aborted).toBe(false);
    two.abort('second gave up');
    expect(await b).toBe('second gave up');
    expect(shared?.aborted).toBe(true);
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
  it('gives Distru a 2 calls/s budget by default', () => {
    expect(defaultHttpOptions('distru').rateLimit).toEqual({ perSecond: 2, burst: 2, maxQueue: 20 });
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
