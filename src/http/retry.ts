/** Backoff and `Retry-After`: how long to wait before trying an idempotent call again. */

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * "Full jitter" exponential backoff: a uniform draw in [0, min(max, base * 2^attempt)). Spreading
 * retries over the whole interval keeps many gateways that failed together from retrying together
 * (AWS Architecture Blog, "Exponential Backoff And Jitter").
 *
 * @param attempt 0 for the wait after the first failed attempt.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * Milliseconds to wait from a `Retry-After` header (RFC 9110 §10.2.3: delay-seconds or an
 * HTTP-date), or undefined when absent or unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Only the date form remains; Date.parse also accepts loose strings, so insist on a weekday-led
  // or ISO-looking date rather than any number-bearing text.
  if (!/^[A-Za-z]{3},|^\d{4}-\d{2}-\d{2}/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Statuses worth trying again for an idempotent call: the vendor is overloaded or failing. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
