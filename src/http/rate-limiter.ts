/**
 * Client-side rate limits. `RateLimiter` is all the HTTP layer knows, so a budget shared by many
 * replicas (a Redis-backed window, issue 14) can replace the in-process `SlidingWindowScheduler`
 * without touching it.
 */

/** Who is asking, so the scheduler can put people before the background sync and share fairly. */
export interface AcquireOptions {
  /** `interactive` (a GraphQL request waits for it) goes before `background` (the sync). Default interactive. */
  priority?: CallPriority;
  /** The client the call works for (issue 10 names it); interactive clients are served round-robin. */
  client?: string;
}

export type CallPriority = 'interactive' | 'background';

/** Permission to send one call. */
export interface RateLimitGrant {
  /**
   * The vendor has answered (or the call failed): the window counts the call from now. Until then
   * the call holds its place, because the vendor's clock counts it when it arrives, which may be
   * any time before its answer.
   */
  release(): void;
}

export interface RateLimiter {
  /**
   * Resolves when the caller may send one request; the caller releases the grant when the answer
   * (or failure) comes back. Rejects with a `RateLimitError`: `queue-full`
   * at once when too many callers already wait, `deadline` when the caller's deadline (epoch ms)
   * passes while it waits, `aborted` when its signal fires, `closed` after `close()`.
   */
  acquire(deadline?: number, signal?: AbortSignal, options?: AcquireOptions): Promise<RateLimitGrant>;
  /** Callers waiting for a grant now (the queue depth /metrics reports). */
  readonly queued: number;
  /** Rejects every waiting caller and stops the timers (process shutdown). */
  close(): void;
}

export type RateLimitReason = 'queue-full' | 'deadline' | 'aborted' | 'closed';

export class RateLimitError extends Error {
  override readonly name = 'RateLimitError';
  constructor(
    readonly reason: RateLimitReason,
    /** For `queue-full`: about how long until the queue ahead has drained. */
    readonly retryAfterMs?: number,
  ) {
    super(`rate limit: ${reason}`);
  }
}

export interface SlidingWindowOptions {
  /** At most this many calls start in any window of `windowMs` (Distru: 2, DISTRU_MAX_RPS). */
  maxCalls: number;
  /** The window the vendor counts in. */
  windowMs: number;
  /**
   * Added to the window: a call is granted here and arrives at the vendor a little later, by an
   * amount that varies, so two grants exactly `windowMs` apart can land closer than that.
   */
  guardMs?: number;
  /** Callers allowed to wait (interactive and background together); one more is refused at once. */
  maxQueue: number;
  /** A grant never released (a caller bug) leaves the window after this long. Default 120 s. */
  maxHoldMs?: number;
  /**
   * The window starts full: the first calls wait one window (`windowMs + guardMs`) from construction.
   * A process that has just started cannot know which calls the process before it (a restart, or
   * another process on the same vendor account) made in the last window, and the vendor counts them
   * all; waiting one window once is the only way to be sure. For a budget the vendor itself enforces
   * (Distru); not needed where a shared window (Redis) already counts every process's calls.
   */
  fullAtStart?: boolean;
  now?: () => number;
}

interface Waiter {
  resolve(grant: RateLimitGrant): void;
  reject(error: RateLimitError): void;
  cleanup(): void;
}

/** The client name used when a call does not say whose it is. */
export const ANONYMOUS_CLIENT = 'anonymous';

/** One call in the window: counted until `until` (epoch ms). */
interface Slot {
  until: number;
}

/**
 * One vendor's budget: a strict sliding window (never more than `maxCalls` calls in any
 * `windowMs + guardMs`, counted from when each call's answer came back, the latest moment the
 * vendor can have counted it; no burst after a quiet spell beyond that), interactive callers before
 * background ones, and among interactive callers one grant per client in turn, so one client's
 * heavy query cannot starve another client's single call. Within one client, first come first
 * served. Never busy-waits: one timer, set for when the oldest grant in the window expires.
 */
export class SlidingWindowScheduler implements RateLimiter {
  private readonly maxCalls: number;
  private readonly spanMs: number;
  private readonly maxQueue: number;
  private readonly now: () => number;
  private readonly maxHoldMs: number;
  /** Calls in flight or still inside the window (at most `maxCalls`). */
  private slots: Slot[] = [];
  /** Interactive waiters per client; the Map's order is the round-robin order. */
  private readonly interactive = new Map<string, Waiter[]>();
  private readonly background: Waiter[] = [];
  private waiting = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: SlidingWindowOptions) {
    if (!(Number.isInteger(options.maxCalls) && options.maxCalls >= 1)) throw new TypeError(`rateLimit.maxCalls must be a positive integer, got ${options.maxCalls}`);
    if (!(Number.isFinite(options.windowMs) && options.windowMs > 0)) throw new TypeError(`rateLimit.windowMs must be a positive number, got ${options.windowMs}`);
    const guard = options.guardMs ?? 0;
    if (!(Number.isFinite(guard) && guard >= 0)) throw new TypeError(`rateLimit.guardMs must be a non-negative number, got ${guard}`);
    if (!(Number.isInteger(options.maxQueue) && options.maxQueue >= 0)) throw new TypeError(`rateLimit.maxQueue must be a non-negative integer, got ${options.maxQueue}`);
    this.maxCalls = options.maxCalls;
    this.spanMs = options.windowMs + guard;
    this.maxQueue = options.maxQueue;
    this.maxHoldMs = options.maxHoldMs ?? 120_000;
    this.now = options.now ?? Date.now;
    if (options.fullAtStart) {
      const until = this.now() + this.spanMs;
      this.slots = Array.from({ length: this.maxCalls }, () => ({ until }));
    }
  }

  /** Callers waiting for a grant. */
  get queued(): number {
    return this.waiting;
  }

  acquire(deadline?: number, signal?: AbortSignal, options: AcquireOptions = {}): Promise<RateLimitGrant> {
    if (this.closed) return Promise.reject(new RateLimitError('closed'));
    if (signal?.aborted) return Promise.reject(new RateLimitError('aborted'));
    if (deadline !== undefined && this.now() >= deadline) return Promise.reject(new RateLimitError('deadline'));
    // Only grant directly when nobody waits: otherwise a newcomer would overtake the queue.
    if (this.waiting === 0 && this.freeNow()) return Promise.resolve(this.grant());
    if (this.waiting >= this.maxQueue) return Promise.reject(new RateLimitError('queue-full', this.drainEstimateMs()));
    const queue = this.queueFor(options);
    return new Promise<RateLimitGrant>((resolve, reject) => {
      let deadlineTimer: NodeJS.Timeout | undefined;
      const leave = (reason: RateLimitReason): void => {
        const index = queue.indexOf(waiter);
        if (index >= 0) {
          queue.splice(index, 1);
          this.waiting--;
        }
        waiter.cleanup();
        reject(new RateLimitError(reason));
      };
      const onAbort = (): void => leave('aborted');
      const waiter: Waiter = {
        resolve,
        reject,
        cleanup: () => {
          if (deadlineTimer) clearTimeout(deadlineTimer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      if (deadline !== undefined) deadlineTimer = setTimeout(() => leave('deadline'), deadline - this.now());
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(waiter);
      this.waiting++;
      this.drain();
    });
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const all = [...[...this.interactive.values()].flat(), ...this.background];
    this.interactive.clear();
    this.background.length = 0;
    this.waiting = 0;
    for (const waiter of all) {
      waiter.cleanup();
      waiter.reject(new RateLimitError('closed'));
    }
  }

  private queueFor(options: AcquireOptions): Waiter[] {
    if (options.priority === 'background') return this.background;
    const client = options.client ?? ANONYMOUS_CLIENT;
    let queue = this.interactive.get(client);
    if (!queue) this.interactive.set(client, (queue = []));
    return queue;
  }

  /** Forgets calls that left the window; true when one more may start now. */
  private freeNow(): boolean {
    const now = this.now();
    if (this.slots.some((slot) => slot.until <= now)) this.slots = this.slots.filter((slot) => slot.until > now);
    return this.slots.length < this.maxCalls;
  }

  private grant(): RateLimitGrant {
    const grantedAt = this.now();
    const slot: Slot = { until: grantedAt + this.maxHoldMs };
    this.slots.push(slot);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        slot.until = Math.max(grantedAt, this.now()) + this.spanMs;
        // The slot may now leave earlier than the timer was set for.
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        this.drain();
      },
    };
  }

  /** The next waiter: the next interactive client in turn, else the oldest background caller. */
  private next(): Waiter | undefined {
    for (const [client, queue] of this.interactive) {
      this.interactive.delete(client);
      const waiter = queue.shift();
      // Back to the end of the turn order while it still has callers waiting.
      if (queue.length > 0) this.interactive.set(client, queue);
      if (waiter) return waiter;
    }
    return this.background.shift();
  }

  /** Grants while the window has room, then sleeps until its oldest grant expires (one timer). */
  private drain(): void {
    if (this.timer || this.closed) return;
    while (this.waiting > 0 && this.freeNow()) {
      const waiter = this.next();
      if (!waiter) break;
      this.waiting--;
      waiter.cleanup();
      waiter.resolve(this.grant());
    }
    if (this.waiting === 0) return;
    const wait = Math.max(1, Math.min(...this.slots.map((slot) => slot.until)) - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, wait);
  }

  /** About how long until everyone already waiting has been granted, plus the refused caller. */
  private drainEstimateMs(): number {
    const windows = Math.ceil((this.waiting + 1) / this.maxCalls);
    return windows * this.spanMs;
  }
}
