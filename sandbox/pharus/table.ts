/**
 * A collection kept sorted by a string key, with a by-id map. Lists page by key (keyset paging),
 * so a page costs a binary search plus the rows it returns, never a sort, and a cursor stays valid
 * while rows are added or removed elsewhere in the list.
 */
export interface PageQuery<T> {
  /** Start after this key (exclusive); absent = from the start. */
  after?: string;
  limit: number;
  /** Only keys that start with this prefix (a contiguous run of the sorted list). */
  prefix?: string;
  filter?: (row: T) => boolean;
}

export interface PageSlice<T> {
  rows: T[];
  /** Key of the last row, when more matching rows follow it. */
  nextAfter: string | null;
}

export class Table<T> {
  private readonly rows: T[];
  private readonly byId = new Map<string, T>();

  constructor(
    private readonly idOf: (row: T) => string,
    readonly keyOf: (row: T) => string,
    initial: readonly T[] = [],
  ) {
    const keyed = initial.map((row) => ({ row, key: keyOf(row) }));
    keyed.sort((a, b) => compare(a.key, b.key));
    this.rows = keyed.map((k) => k.row);
    for (const row of this.rows) this.byId.set(idOf(row), row);
  }

  get size(): number {
    return this.rows.length;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  all(): readonly T[] {
    return this.rows;
  }

  insert(row: T): void {
    const at = this.firstIndexAbove(this.keyOf(row), true);
    this.rows.splice(at, 0, row);
    this.byId.set(this.idOf(row), row);
  }

  /** Removes the row with this id; the row's key must not have changed since it was inserted. */
  remove(id: string): T | undefined {
    const row = this.byId.get(id);
    if (row === undefined) return undefined;
    let at = this.firstIndexAbove(this.keyOf(row), false);
    while (at < this.rows.length && this.rows[at] !== row) at++;
    if (at < this.rows.length) this.rows.splice(at, 1);
    this.byId.delete(id);
    return row;
  }

  /** Rows matching the query; looks one match ahead so the last page never promises more. */
  page(query: PageQuery<T>): PageSlice<T> {
    let at = query.after === undefined ? 0 : this.firstIndexAbove(query.after, true);
    if (query.prefix !== undefined) at = Math.max(at, this.firstIndexAbove(query.prefix, false));
    const rows: T[] = [];
    for (; at < this.rows.length; at++) {
      const row = this.rows[at] as T;
      if (query.prefix !== undefined && !this.keyOf(row).startsWith(query.prefix)) break;
      if (query.filter && !query.filter(row)) continue;
      if (rows.length === query.limit) {
        const last = rows[rows.length - 1];
        return { rows, nextAfter: last === undefined ? null : this.keyOf(last) };
      }
      rows.push(row);
    }
    return { rows, nextAfter: null };
  }

  /** Index of the first row whose key is above `key` (at or above it when `strictlyAbove` is false). */
  private firstIndexAbove(key: string, strictlyAbove: boolean): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = compare(this.keyOf(this.rows[mid] as T), key);
      if (c < 0 || (strictlyAbove && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Code-unit order, the same on every platform and locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
