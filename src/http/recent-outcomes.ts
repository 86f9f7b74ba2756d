/**
 * Calls and errors over a sliding window (default the last 60 s) for `/readyz`, kept in one-second
 * buckets so memory stays constant however busy the vendor is.
 */
export class RecentOutcomes {
  private readonly buckets: Array<{ second: number; calls: number; errors: number }>;
  private readonly now: () => number;

  constructor(
    private readonly windowSeconds = 60,
    now: () => number = Date.now,
  ) {
    this.buckets = Array.from({ length: windowSeconds }, () => ({ second: -1, calls: 0, errors: 0 }));
    this.now = now;
  }

  record(error: boolean): void {
    const second = Math.floor(this.now() / 1000);
    const bucket = this.buckets[second % this.windowSeconds];
    if (!bucket) return;
    if (bucket.second !== second) {
      bucket.second = second;
      bucket.calls = 0;
      bucket.errors = 0;
    }
    bucket.calls++;
    if (error) bucket.errors++;
  }

  snapshot(): { calls: number; errors: number; errorRate: number } {
    const oldest = Math.floor(this.now() / 1000) - this.windowSeconds + 1;
    let calls = 0;
    let errors = 0;
    for (const bucket of this.buckets) {
      if (bucket.second < oldest) continue;
      calls += bucket.calls;
      errors += bucket.errors;
    }
    return { calls, errors, errorRate: calls === 0 ? 0 : errors / calls };
  }
}
