/**
 * Simulated time for the clocks the product takes (the circuit breaker's `now`): real time plus
 * whatever the test has skipped, so that a breaker's open period passes at once instead of being
 * waited out, and never passes on its own on a slow machine when it is long.
 */
export class SkippingClock {
  private skipped = 0;
  readonly now = (): number => Date.now() + this.skipped;
  skip(ms: number): void {
    this.skipped += ms;
  }
}
