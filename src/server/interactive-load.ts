/**
 * GraphQL requests being served, for the background sync to wait on: interactive requests go first
 * for the gateway's one core as they do for the vendors' budgets. A page of a whole re-read is
 * parsed and written in one stretch of the event loop (ISOlocity's at the budget bench's scale 100:
 * a 9 ms query took 60–130 ms while one ran), and a screen is many such turns, so the sync waits
 * before each page while a request is in flight — at most `maxWaitMs` a page, so that a gateway
 * never idle still syncs. `maxWaitMs` 0: the sync never waits.
 */
export class InteractiveLoad {
  private active = 0;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly maxWaitMs: number) {}

  /** A request began; the function returned ends it (once, however often it is called). */
  enter(): () => void {
    this.active++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (--this.active > 0) return;
      for (const wake of [...this.waiters]) wake();
    };
  }

  /** Requests in flight now. */
  get inFlight(): number {
    return this.active;
  }

  /** Resolves once no request is in flight, or after `maxWaitMs`. */
  quiet(): Promise<void> {
    if (this.active === 0 || this.maxWaitMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.maxWaitMs);
      this.waiters.add(wake);
    });
  }
}
