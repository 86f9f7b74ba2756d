import { positionCursor } from '../position-cursor.js';
import type { PageResult } from '../../model/records.js';
import type { Range } from './client.js';

/**
 * Distru lists page by number over a fixed order, so a position in the list is the cursor: the
 * number of rows already consumed, opaque to clients. Orders and invoices are newest first, so a
 * record created between two pages shifts the rest by one: the next page may repeat a record, never
 * skip one (docs/vendors/distru.md).
 */
const cursor = positionCursor('distru', 'Distru');
export const encodeCursor = cursor.encode;
export const decodeCursor = cursor.decode;

/** A range read at `position` as a page: the cursor points past its last row (rows `map` drops still count). */
export function toPage<T, R>(range: Range<T>, position: number, map: (row: T) => R | null): PageResult<R> {
  const next = position + range.rows.length;
  const items = range.rows.flatMap((row) => {
    const item = map(row);
    return item === null ? [] : [item];
  });
  return { items, endCursor: range.rows.length > 0 ? encodeCursor(next) : null, hasNextPage: range.more };
}
