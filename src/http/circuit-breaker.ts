/**
 * A circuit breaker per vendor: after `failureThreshold` consecutive failures it opens and callers
 * fail fast for `openMs` (no socket, no queueing behind a dead vendor); then one probe goes through
 * (half-open): its success closes the breaker, its failure opens it again for another `openMs`.
 *
 * What counts as a failure is the caller's call (network error, timeout, 5xx): the breaker only
 * sees outcomes, so a 404 or a 429 — proof that the vendor is up — counts as a success.
 */

export type BreakerState = 'closed' | 'open' | 'half-open';
export type BreakerOutcome = 'success' | 'failure' | 'neutral';

export interface CircuitBreakerOptions {
  failureThreshold: number;
  openMs: number;
  now?: () => number;
}

/** Leave to send one call; give it back with `report`. */
export interface BreakerPermit {
  /** True for the single half-open probe whose outcome decides the state. */
  readonly probe: boolean;
}

export class CircuitBreaker {
  private readonly failureThreshold: number;
  private readonly openMs: number;
  private readonly now: () => number;
  private consecutiveFailures = 0;
  /** Set while open (including the half-open phase, which is "open, and the wait is over"). */
  private openedAt: number | undefined;
  private probing = false;

  constructor(options: CircuitBreakerOptions) {
    if (!Number.isInteger(options.failureThreshold) || options.failureThreshold < 1) throw new TypeError(`breaker.failureThreshold must be a positive integer, got ${options.failureThreshold}`);
    if (!Number.isFinite(options.openMs) || options.openMs < 0) throw new TypeError(`breaker.openMs must be a non-negative number, got ${options.openMs}`);
    this.failureThreshold = options.failureThreshold;
    this.openMs = options.openMs;
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt < this.openMs ? 'open' : 'half-open';
  }

  /** Milliseconds until a probe may go (0 unless open). */
  retryInMs(): number {
    if (this.openedAt === undefined) return 0;
    return Math.max(0, this.openedAt + this.openMs - this.now());
  }

  /** A permit to send, or null to fail fast: open, or half-open with the probe already out. */
  tryAcquire(): BreakerPermit | null {
    switch (this.state) {
      case 'closed':
        return { probe: false };
      case 'open':
        return null;
      case 'half-open':
        if (this.probing) return null;
        this.probing = true;
        return { probe: true };
    }
  }

  /**
   * The outcome of a permitted call. `neutral` is for a call that ended without saying anything
   * about the vendor (the caller gave up first): a probe's slot goes to the next caller.
   */
  report(permit: BreakerPermit, outcome: BreakerOutcome): void {
    if (permit.probe) {
      this.probing = false;
      if (outcome === 'success') this.close();
      else if (outcome === 'failure') this.open();
      return;
    }
    // A call let through while closed that ends after the breaker opened says nothing the probe
    // will not say better: ignore it.
    if (this.openedAt !== undefined) return;
    if (outcome === 'success') this.consecutiveFailures = 0;
    else if (outcome === 'failure' && ++this.consecutiveFailures >= this.failureThreshold) this.open();
  }

  private open(): void {
    this.openedAt = this.now();
  }

  private close(): void {
    this.openedAt = undefined;
    this.consecutiveFailures = 0;
  }
}
