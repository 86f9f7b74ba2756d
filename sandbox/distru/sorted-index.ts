/**
 * A list kept in a fixed order as records are written, so a page is a walk from the start instead
 * of a sort of every record per request (100,000 orders at scale 100). Ties must be broken by the
 * comparator (by id), so every record has exactly one place and pages never overlap.
 */
export class SortedIndex<T> {
  private items: T[] = [];

  constructor(private readonly compare: (a: T, b: T) => number) {}

  /** Replaces the contents in one sort (loading a projection record by record would be quadratic). */
  load(items: Iterable<T>): void {
    this.items = [...items].sort(this.compare);
  }

  get size(): number {
    return this.items.length;
  }

  insert(item: T): void {
    this.items.splice(this.position(item), 0, item);
  }

  /** Removes the entry equal (by the comparator) to `item`; call before changing a sort key. */
  remove(item: T): void {
    const at = this.position(item);
    if (at < this.items.length && this.compare(this.items[at] as T, item) === 0) this.items.splice(at, 1);
  }

  values(): readonly T[] {
    return this.items;
  }

  /** Lowest index whose item does not sort before `item`. */
  private position(item: T): number {
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.compare(this.items[mid] as T, item) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
