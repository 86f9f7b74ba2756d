/**
 * Client-side rate limits. `RateLimiter` is all the HTTP layer knows, so a budget shared by many
 * replicas (a Redis-backed bucket) can replace the in-process `TokenBucket` without touching it.
 */

export interface RateLimiter {
  /**
   * Resolves when the caller may send one request. Rejects with a `RateLimitError`: `queue-full`
   * at once when too many callers already wait, `deadline` when the caller's deadline (epoch ms)
   * passes while it waits, `aborted` when its signal fires, `closed` after `close()`.
   */
  acquire(deadline?: number, signal?: AbortSignal): Promise<void>;
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

export interface TokenBucketOptions {
  /** Tokens added per second (the sustained rate). */
  perSecond: number;
  /** Bucket size: how many calls may go at once after a quiet spell. */
  burst: number;
  /** Callers allowed to wait for a token; one more is refused at once. */
  maxQueue: number;
  now?: () => number;
}

interface Waiter {
  resolve(): void;
  reject(error: RateLimitError): void;
  cleanup(): void;
}

/** A token bucket with a bounded FIFO queue: fair (first come, first served) and never busy-waits. */
export class TokenBucket implements RateLimiter {
  private readonly perSecond: number;
  private readonly burst: number;
  private readonly maxQueue: number;
  private readonly now: () => number;
  private tokens: number;
  private refilledAt: number;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: TokenBucketOptions) {
    if (!(Number.isFinite(options.perSecond) && options.perSecond > 0)) throw new TypeError(`rateLimit.perSecond must be a positive number, got ${options.perSecond}`);
    if (!(Number.isInteger(options.burst) && options.burst >= 1)) throw new TypeError(`rateLimit.burst must be a positive integer, got ${options.burst}`);
    if (!(Number.isInteger(options.maxQueue) && options.maxQueue >= 0)) throw new TypeError(`rateLimit.maxQueue must be a non-negative integer, got ${options.maxQueue}`);
    this.perSecond = options.perSecond;
    this.burst = options.burst;
    this.maxQueue = options.maxQueue;
    this.now = options.now ?? Date.now;
    this.tokens = options.burst;
    this.refilledAt = this.now();
  }

  /** Callers waiting for a token. */
  get queued(): number {
    return this.queue.length;
  }

  acquire(deadline?: number, signal?: AbortSignal): Promise<void> {
    if (this.closed) return Promise.reject(new RateLimitError('closed'));
    if (signal?.aborted) return Promise.reject(new RateLimitError('aborted'));
    if (deadline !== undefined && this.now() >= deadline) return Promise.reject(new RateLimitError('deadline'));
    this.refill();
    // Only take a token directly when nobody waits: otherwise a newcomer would overtake the queue.
    if (this.queue.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    if (this.queue.length >= this.maxQueue) {
      const retryAfterMs = Math.ceil(((this.queue.length + 1 - this.tokens) / this.perSecond) * 1000);
      return Promise.reject(new RateLimitError('queue-full', retryAfterMs));
    }
    return new Promise<void>((resolve, reject) => {
      let deadlineTimer: NodeJS.Timeout | undefined;
      const leave = (reason: RateLimitReason): void => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
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
      this.queue.push(waiter);
      this.drain();
    });
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.queue.splice(0)) {
      waiter.cleanup();
      waiter.reject(new RateLimitError('closed'));
    }
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) * this.perSecond) / 1000);
    this.refilledAt = now;
  }

  /** Hands tokens to the head of the queue, then sleeps until the next token is due (one timer). */
  private drain(): void {
    if (this.timer || this.closed) return;
    this.refill();
    while (this.queue.length > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      const waiter = this.queue.shift();
      waiter?.cleanup();
      waiter?.resolve();
    }
    if (this.queue.length === 0) return;
    const wait = Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.perSecond));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, wait);
  }
}
