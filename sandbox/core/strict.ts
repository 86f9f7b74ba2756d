/**
 * Strict mode (`npm run sandbox -- --strict`, SANDBOX_STRICT=1): a sandbox as hard on its clients
 * as the real vendor may be. The lenient default stays what the vendor documents as guidance;
 * strict enforces it, so that a client which only works because the sandbox is kind fails here.
 */

/** What a vendor enforces in strict mode. */
export interface StrictRules {
  /** At most `maxCalls` calls in any `windowMs`; past that, 429 with `Retry-After: retryAfterSeconds`. */
  rate?: { maxCalls: number; windowMs: number; retryAfterSeconds: number };
  /** Pages never larger than this, whatever `page[size]` asks. */
  maxPageSize?: number;
}

/**
 * The vendor's own count of calls in a sliding window. Only calls it accepted count: a refused
 * call did no work, so a client that retries after `Retry-After` is not locked out by its retry.
 */
export class CallWindow {
  private accepted: number[] = [];

  constructor(
    private readonly maxCalls: number,
    private readonly windowMs: number,
  ) {}

  /** true when a call arriving at `now` may go on (and counts it). */
  admit(now: number): boolean {
    this.accepted = this.accepted.filter((at) => now - at < this.windowMs);
    if (this.accepted.length >= this.maxCalls) return false;
    this.accepted.push(now);
    return true;
  }
}
