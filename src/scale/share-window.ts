import type { WindowGrant } from './call-window.js';

/**
 * A replica's share of a vendor budget while the shared window (Redis) is unreachable. Replicas that
 * cannot talk to each other can still keep the SUM under the vendor's budget in every window span by
 * taking turns on the wall clock (kept within milliseconds by NTP): time is cut into slots of
 * windowMs ÷ (limit − ½); replica `index` owns every slot k with k mod replicas = index, and makes at
 * most one call per owned slot, in the slot's first half. Any span of windowMs then touches at most
 * `limit` first halves, so all replicas together make at most `limit` calls in it. Each replica gets
 * about (limit − ½) ÷ replicas calls per window: a little under budget ÷ replicas, never over.
 */
export class ShareWindow {
  private readonly slotMs: number;
  private readonly openMs: number;
  private lastSlot = -1;
  private quietTill = -Infinity;

  constructor(
    limit: number,
    windowMs: number,
    private readonly replicas: number,
    private readonly index: number,
    private readonly now: () => number = Date.now,
  ) {
    this.slotMs = windowMs / (limit - 0.5);
    // A guard at the end of the open half absorbs small clock differences between replicas.
    this.openMs = this.slotMs / 2 - Math.min(20, this.slotMs / 10);
  }

  /**
   * No grant before `at` (epoch ms). A replica that has just lost Redis waits one window first:
   * calls the shared window granted before Redis went away (to any replica) must leave the vendor's
   * window before the turns begin, or the two together could exceed the budget.
   */
  quietUntil(at: number): void {
    this.quietTill = Math.max(this.quietTill, at);
  }

  takeNow(): WindowGrant {
    const now = this.now();
    if (now < this.quietTill) return { granted: false, retryInMs: Math.max(1, Math.ceil(this.quietTill - now)) };
    const slot = Math.floor(now / this.slotMs);
    const intoSlot = now - slot * this.slotMs;
    if (slot % this.replicas === this.index % this.replicas && intoSlot < this.openMs && slot !== this.lastSlot) {
      this.lastSlot = slot;
      return { granted: true };
    }
    // The next slot this replica owns (this one again only if it is still open and unused).
    let next = slot + 1;
    while (next % this.replicas !== this.index % this.replicas) next++;
    return { granted: false, retryInMs: Math.max(1, Math.ceil(next * this.slotMs - now)) };
  }

  /** Times (ms ago) of calls this share made that may still be inside the shared window. */
  lastGrantAgeMs(): number | null {
    return this.lastSlot < 0 ? null : this.now() - this.lastSlot * this.slotMs;
  }
}
