import { VENDOR_NAMES, type VendorName } from '../errors.js';

export interface UpstreamTraceJSON {
  calls: number;
  byVendor: Record<VendorName, number>;
  ms: number;
}

/**
 * Counts the upstream HTTP attempts one GraphQL request caused, for `extensions.upstream`.
 *
 * One `record` per attempt actually sent (each retry counts, a connection that was refused counts:
 * it was tried). Nothing is recorded for a call refused before sending (breaker open, rate-limit
 * queue full, deadline already passed), nor for a caller that joined another caller's identical
 * in-flight GET: that attempt is recorded once, in the trace of the caller that started it.
 */
export class UpstreamTrace {
  calls = 0;
  /** Attempts admitted so far (sent or about to be); what MAX_VENDOR_CALLS_PER_REQUEST bounds. */
  private admitted = 0;
  /** Attempts refused because the request's budget was spent. */
  refused = 0;

  /** @param budget at most this many attempts for the request (`MAX_VENDOR_CALLS_PER_REQUEST`). */
  constructor(readonly budget = Infinity) {}

  /**
   * Takes one attempt from the budget before it is sent; false once the budget is spent (the
   * attempt must not be sent). Counted at admission, not on completion, so parallel attempts
   * cannot overdraw it.
   */
  admit(): boolean {
    if (this.admitted >= this.budget) {
      this.refused++;
      return false;
    }
    this.admitted++;
    return true;
  }

  /** Attempts the request may still make (Infinity without a budget). */
  get remaining(): number {
    return this.budget - this.admitted;
  }

  byVendor: Record<VendorName, number> = Object.fromEntries(VENDOR_NAMES.map((v) => [v, 0])) as Record<VendorName, number>;
  /** Summed wall time of the attempts, so parallel attempts add up (it is a cost, not a latency). */
  ms = 0;

  record(vendor: VendorName, ms: number): void {
    this.calls++;
    this.byVendor[vendor]++;
    this.ms += ms;
  }

  toJSON(): UpstreamTraceJSON {
    return { calls: this.calls, byVendor: { ...this.byVendor }, ms: Math.round(this.ms) };
  }
}

/**
 * The trace of a whole-list snapshot reload a request started (SnapshotIndex): its calls show in
 * the starter's `extensions.upstream`, but they are admitted against a budget of their own. The
 * reload serves every request that waits for it, and its size is the vendor's list, not the
 * request's fan-out: charged to MAX_VENDOR_CALLS_PER_REQUEST, a `SYNC=off` index of more pages than
 * that (the ISOlocity parts index at 10,000 parts is 50) failed every request, for good.
 */
export class SharedReloadTrace extends UpstreamTrace {
  constructor(readonly starter: UpstreamTrace | undefined) {
    super();
  }

  override record(vendor: VendorName, ms: number): void {
    super.record(vendor, ms);
    this.starter?.record(vendor, ms);
  }
}
