export interface RecentKeyRefresherOptions {
  /** A key is kept fresh for this long after it was last asked for. */
  windowMs: number;
  /** At most this many keys, the most recently asked, are kept fresh (bounds the refresher's calls). */
  maxKeys: number;
  /** Keys per refresh (one vendor call: Distru's 100 `product_ids[]`). */
  batchSize: number;
  /** A key is re-read once its cached entry is this old (ms), or when it has none. */
  refreshAfterMs: number;
  /** How often the refresher looks for keys due (ms). */
  tickMs: number;
  /** How old the key's cached entry is now (ms); undefined when there is none. */
  ageOf(key: string): number | undefined;
  /** Reads these keys again and puts them in the cache (background vendor calls); resolves with the calls it made. */
  refresh(keys: readonly string[]): Promise<number>;
  /**
   * After a refresh that made n calls, the next waits n × spacingMs: the refresher never averages
   * more than 1000 / spacingMs calls a second, however many pages a batch takes (Distru may serve
   * stock 25 rows a page), so the rest of the budget stays with people and the sync.
   */
  spacingMs: number;
  /**
   * Requests are waiting on the same reads now (the owner's batches of asked keys): the refresher
   * leaves the budget to them and looks again at its next tick. Without it, a refresh slips into
   * the gap between two pages of a screen's batch (nothing interactive waits for that moment) and
   * the screen's next page waits behind it: 20 cold screens took 19 Distru stock calls where 13
   * pages held their stock.
   */
  yieldTo?: () => boolean;
  now?: () => number;
}

/**
 * Keeps the cached entries of recently asked keys fresh before they expire, so a screen looked at
 * again finds them warm (issue 8: "live stock keeps its bound by refreshing, across requests, the
 * stock of the products asked for recently, within the budget"). The owner's `refresh` runs the
 * call at background priority, so the vendor's scheduler lets every interactive call go first and
 * the whole is counted in the vendor's budget. One refresh at a time, due keys in batches, no timer
 * while nothing was asked within the window. A failed refresh ends the round; the entries then
 * expire as they would without a refresher, and the next round tries again.
 */
export class RecentKeyRefresher {
  /** Key → when it was last asked for, in that order (oldest first). */
  private readonly asked = new Map<string, number>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private closed = false;

  constructor(private readonly options: RecentKeyRefresherOptions) {
    for (const name of ['windowMs', 'maxKeys', 'batchSize', 'refreshAfterMs', 'tickMs', 'spacingMs'] as const) {
      const value = options[name];
      if (!(Number.isFinite(value) && value > 0)) throw new TypeError(`recentKeyRefresher.${name} must be a positive number, got ${value}`);
    }
    this.now = options.now ?? (() => Date.now());
  }

  /** Keys being kept fresh now. */
  get size(): number {
    return this.asked.size;
  }

  /** These keys were just asked for: keep them fresh for the window from now. */
  noteAsked(keys: Iterable<string>): void {
    if (this.closed) return;
    const now = this.now();
    for (const key of keys) {
      this.asked.delete(key);
      this.asked.set(key, now);
    }
    for (const key of this.asked.keys()) {
      if (this.asked.size <= this.options.maxKeys) break;
      this.asked.delete(key);
    }
    this.arm();
  }

  /** Stops for good (process shutdown). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.asked.clear();
  }

  /**
   * One round now: the due keys (see `due`), `batchSize` at a time, one refresh after the other,
   * each followed by its spacing. Keys not reached before the next tick wait for the next round.
   * Returns the refreshes made.
   */
  async round(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let refreshes = 0;
    let waitMs = this.options.tickMs;
    try {
      const due = this.due();
      for (let i = 0; i < due.length && !this.closed; i += this.options.batchSize) {
        if (i > 0) await sleep(waitMs);
        if (this.options.yieldTo?.()) break;
        refreshes++;
        const calls = await this.options.refresh(due.slice(i, i + this.options.batchSize));
        waitMs = Math.max(this.options.tickMs, calls * this.options.spacingMs);
      }
    } catch {
      // The entries expire as they would without a refresher; the next ask reads them itself and reports the failure.
    } finally {
      this.running = false;
      this.arm(waitMs);
    }
    return refreshes;
  }

  /**
   * Keys asked within the window whose entry is missing or old enough; forgets the others. Those
   * with an entry come first, the oldest first: they expire first, and a refresh in time keeps them
   * warm (20 screens read cold over 5 s of Distru's budget hold entries of every age; re-reading the
   * latest read first let the oldest expire before the screens came back). Then those without one.
   * Equal ages (read together), the most recently asked first.
   */
  private due(): string[] {
    const now = this.now();
    for (const [key, at] of this.asked) {
      if (now - at <= this.options.windowMs) break;
      this.asked.delete(key);
    }
    const latestFirst = [...this.asked.keys()].reverse().map((key) => ({ key, age: this.options.ageOf(key) }));
    const cached = latestFirst.filter((k): k is { key: string; age: number } => k.age !== undefined && k.age >= this.options.refreshAfterMs);
    const missing = latestFirst.filter((k) => k.age === undefined);
    // Array.prototype.sort is stable: equal ages keep the latest-asked-first order.
    return [...cached.sort((a, b) => b.age - a.age), ...missing].map((k) => k.key);
  }

  private arm(delayMs = this.options.tickMs): void {
    if (this.timer || this.running || this.closed || this.asked.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.round();
    }, delayMs);
    // Never what keeps a process alive.
    this.timer.unref();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
