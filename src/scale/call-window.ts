/**
 * A vendor's call budget as a strict sliding window: at most `limit` calls in ANY `windowMs` span
 * (Distru asks for at most 2 calls per second; a bursting bucket lets 4 land inside one second).
 * `take` either grants one call now or says how long until a slot frees. Two implementations: this
 * in-process one, and the Redis one that every replica shares (redis-call-window.ts).
 */
export type CallPriority = 'interactive' | 'background';

/** A grant may ask to be told when the call has been answered (the shared window counts from then). */
export type WindowGrant = { granted: true; release?: () => void } | { granted: false; retryInMs: number };

export interface CallWindow {
  take(priority: CallPriority): Promise<WindowGrant>;
  /** 'local': this process alone; 'shared': one budget across replicas; 'fallback': Redis is unreachable, this replica keeps to its share. */
  mode(): 'local' | 'shared' | 'fallback';
  close(): Promise<void>;
}

export class LocalCallWindow implements CallWindow {
  private readonly granted: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(Number.isInteger(limit) && limit > 0)) throw new TypeError(`call window limit must be a positive integer, got ${limit}`);
  }

  /** Grants when fewer than `limit` calls were granted in the last `windowMs`. */
  async take(): Promise<WindowGrant> {
    return this.takeNow();
  }

  takeNow(): WindowGrant {
    const now = this.now();
    while (this.granted.length > 0 && (this.granted[0] as number) <= now - this.windowMs) this.granted.shift();
    if (this.granted.length < this.limit) {
      this.granted.push(now);
      return { granted: true };
    }
    return { granted: false, retryInMs: Math.max(1, (this.granted[0] as number) + this.windowMs - now) };
  }

  mode(): 'local' {
    return 'local';
  }

  async close(): Promise<void> {
    this.granted.length = 0;
  }
}
