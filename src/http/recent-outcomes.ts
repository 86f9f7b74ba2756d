/** How one sent attempt ended, as far as `/readyz` cares. */
export interface OutcomeDetail {
  /** No answer within the per-call timeout. */
  timedOut?: boolean;
  /** The vendor's HTTP status, when it answered. */
  status?: number;
}

export interface OutcomeSnapshot {
  calls: number;
  errors: number;
  errorRate: number;
  /** Attempts that hung past their own per-call timeout. */
  timeouts: number;
  /** Answers with these statuses: a wrong base URL (404) or credentials (401/403) shows here. */
  statuses: { 401: number; 403: number; 404: number };
}

interface Bucket {
  second: number;
  calls: number;
  errors: number;
  timeouts: number;
  s401: number;
  s403: number;
  s404: number;
}

/**
 * Calls and errors over a sliding window (default the last 60 s) for `/readyz`, kept in one-second
 * buckets so memory stays constant however busy the vendor is.
 */
export class RecentOutcomes {
  private readonly buckets: Bucket[];
  private readonly now: () => number;

  constructor(
    private readonly windowSeconds = 60,
    now: () => number = Date.now,
  ) {
    this.buckets = Array.from({ length: windowSeconds }, () => ({ second: -1, calls: 0, errors: 0, timeouts: 0, s401: 0, s403: 0, s404: 0 }));
    this.now = now;
  }

  record(error: boolean, detail: OutcomeDetail = {}): void {
    const second = Math.floor(this.now() / 1000);
    const bucket = this.buckets[second % this.windowSeconds];
    if (!bucket) return;
    if (bucket.second !== second) Object.assign(bucket, { second, calls: 0, errors: 0, timeouts: 0, s401: 0, s403: 0, s404: 0 });
    bucket.calls++;
    if (error) bucket.errors++;
    if (detail.timedOut) bucket.timeouts++;
    if (detail.status === 401) bucket.s401++;
    else if (detail.status === 403) bucket.s403++;
    else if (detail.status === 404) bucket.s404++;
  }

  snapshot(): OutcomeSnapshot {
    const oldest = Math.floor(this.now() / 1000) - this.windowSeconds + 1;
    const sum = { calls: 0, errors: 0, timeouts: 0, s401: 0, s403: 0, s404: 0 };
    for (const bucket of this.buckets) {
      if (bucket.second < oldest) continue;
      sum.calls += bucket.calls;
      sum.errors += bucket.errors;
      sum.timeouts += bucket.timeouts;
      sum.s401 += bucket.s401;
      sum.s403 += bucket.s403;
      sum.s404 += bucket.s404;
    }
    return {
      calls: sum.calls,
      errors: sum.errors,
      errorRate: sum.calls === 0 ? 0 : sum.errors / sum.calls,
      timeouts: sum.timeouts,
      statuses: { 401: sum.s401, 403: sum.s403, 404: sum.s404 },
    };
  }
}
