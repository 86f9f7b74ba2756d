import { afterEach, describe, expect, it, vi } from 'vitest';
import { SingleFlight, type SharedWork } from '../../src/cache/single-flight.js';

/** Work that waits until the test settles it, recording what it was given. */
function controllable<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const runs: SharedWork[] = [];
  const work = (shared: SharedWork) => {
    runs.push(shared);
    return new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
  };
  return { work, runs, resolve: (v: T) => resolve(v), reject: (e: unknown) => reject(e) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('SingleFlight', () => {
  it('runs the work once per key while in flight and says who joined and whether the value was shared', async () => {
    const flight = new SingleFlight<{ n: number }>({ deadlineMs: 1_000, whenAbandoned: 'continue' });
    const w = controllable<{ n: number }>();
    const a = flight.run('k', w.work);
    const b = flight.run('k', w.work);
    const other = flight.run('other', async () => ({ n: 2 }));
    expect(flight.size).toBe(2);
    await Promise.resolve();
    w.resolve({ n: 1 });
    const [ra, rb, ro] = await Promise.all([a, b, other]);
    expect(w.runs).toHaveLength(1);
    expect([ra.joined, rb.joined]).toEqual([false, true]);
    expect([ra.shared, rb.shared, ro.shared]).toEqual([true, true, false]);
    expect(ra.value).toEqual({ n: 1 });
    expect(flight.size).toBe(0);
  });

  it('starts new work once the shared work has settled', async () => {
    const flight = new SingleFlight<number>({ deadlineMs: 1_000, whenAbandoned: 'continue' });
    let runs = 0;
    await flight.run('k', async () => ++runs);
    expect((await flight.run('k', async () => ++runs)).value).toBe(2);
  });

  it('shares a failure with every caller', async () => {
    const flight = new SingleFlight<number>({ deadlineMs: 1_000, whenAbandoned: 'continue' });
    const w = controllable<number>();
    const callers = [flight.run('k', w.work), flight.run('k', w.work)].map((p) => p.catch((e: unknown) => e));
    await Promise.resolve();
    w.reject(new Error('vendor down'));
    expect((await Promise.all(callers)).map((e) => (e as Error).message)).toEqual(['vendor down', 'vendor down']);
  });

  it('lets the first caller give up without cancelling the work the others still wait for', async () => {
    const flight = new SingleFlight<string>({ deadlineMs: 1_000, whenAbandoned: 'abort' });
    const w = controllable<string>();
    const first = new AbortController();
    const a = flight.run('k', w.work, { signal: first.signal }).catch((e: unknown) => e);
    const b = flight.run('k', w.work);
    first.abort('client disconnected');
    expect(await a).toBe('client disconnected');
    expect(w.runs[0]?.signal.aborted).toBe(false);
    w.resolve('fresh');
    expect((await b).value).toBe('fresh');
  });

  it('lets a caller leave at its own deadline with its own error while the work goes on', async () => {
    vi.useFakeTimers();
    const flight = new SingleFlight<string>({ deadlineMs: 10_000, whenAbandoned: 'continue' });
    const w = controllable<string>();
    const impatient = flight.run('k', w.work, { deadline: Date.now() + 100, timeoutError: () => new Error('my deadline') }).catch((e: unknown) => e);
    const patient = flight.run('k', w.work);
    await vi.advanceTimersByTimeAsync(100);
    expect(((await impatient) as Error).message).toBe('my deadline');
    expect(w.runs[0]?.signal.aborted).toBe(false);
    w.resolve('done');
    expect((await patient).value).toBe('done');
  });

  it('keeps reloading when every caller has left (whenAbandoned: continue), for the readers after them', async () => {
    const flight = new SingleFlight<string>({ deadlineMs: 1_000, whenAbandoned: 'continue' });
    const w = controllable<string>();
    const only = new AbortController();
    const a = flight.run('k', w.work, { signal: only.signal }).catch((e: unknown) => e);
    only.abort('gone');
    expect(await a).toBe('gone');
    expect(w.runs[0]?.signal.aborted).toBe(false);
    expect(flight.has('k')).toBe(true);
    // A later reader joins the same work instead of starting another.
    const later = flight.run('k', w.work);
    w.resolve('kept');
    expect((await later).value).toBe('kept');
    expect(w.runs).toHaveLength(1);
  });

  it('aborts work nobody waits for any more (whenAbandoned: abort)', async () => {
    const flight = new SingleFlight<number>({ deadlineMs: 1_000, whenAbandoned: 'abort' });
    const w = controllable<number>();
    const one = new AbortController();
    const two = new AbortController();
    const a = flight.run('k', w.work, { signal: one.signal }).catch((e: unknown) => e);
    const b = flight.run('k', w.work, { signal: two.signal }).catch((e: unknown) => e);
    await Promise.resolve();
    one.abort('first gave up');
    expect(await a).toBe('first gave up');
    expect(w.runs[0]?.signal.aborted).toBe(false);
    two.abort('second gave up');
    expect(await b).toBe('second gave up');
    expect(w.runs[0]?.signal.aborted).toBe(true);
  });

  it('gives the work its own deadline and aborts it there', async () => {
    vi.useFakeTimers();
    const started = Date.now();
    const flight = new SingleFlight<number>({ deadlineMs: 5_000, whenAbandoned: 'continue' });
    const w = controllable<number>();
    const a = flight.run('k', w.work).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    expect(w.runs[0]?.deadline).toBe(started + 5_000);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(w.runs[0]?.signal.aborted).toBe(true);
    w.reject(w.runs[0]?.signal.reason);
    expect(((await a) as Error).message).toMatch(/own deadline of 5000 ms/);
  });
});
