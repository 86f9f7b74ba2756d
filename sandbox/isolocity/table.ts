/**
 * One kind of record keyed by integer id, kept in ascending id order so that a page is a slice
 * (no sorting per request, whatever the scale).
 */
export class Table<T extends { id: number }> {
  private readonly byId = new Map<number, T>();
  private readonly rows: T[] = [];
  private lastId = 0;

  /** Adds a record under the next free id (one above the highest so far). */
  insert(build: (id: number) => T): T {
    const record = build(this.lastId + 1);
    this.add(record);
    return record;
  }

  /** Adds a record whose id the client chose; the caller has checked that the id is free. */
  add(record: T): void {
    if (this.byId.has(record.id)) throw new Error(`duplicate id ${record.id}`);
    this.byId.set(record.id, record);
    if (record.id > this.lastId) {
      this.rows.push(record);
      this.lastId = record.id;
    } else {
      this.rows.splice(this.insertionIndex(record.id), 0, record);
    }
  }

  get(id: number): T | undefined {
    return this.byId.get(id);
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  get size(): number {
    return this.rows.length;
  }

  /** Every record, ascending by id. Read-only: insert through `insert`/`add`. */
  all(): readonly T[] {
    return this.rows;
  }

  private insertionIndex(id: number): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.rows[mid] as T).id < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
