import { positionCursor } from '../position-cursor.js';
import type { PageResult } from '../../model/records.js';
import type { Range } from './client.js';

/**
 * ISOlocity lists are pages of an id-ordered list (new records go to the end), so a position in
 * the list is a stable cursor: it is the number of rows already consumed, opaque to clients.
 */
const cursor = positionCursor('isolocity', 'ISOlocity');
export const encodeCursor = cursor.encode;
export const decodeCursor = cursor.decode;

/** A range read at `position` as a page: the cursor points past its last row. */
export function toPage<T, R>(range: Range<T>, position: number, map: (row: T) => R): PageResult<R> {
  const next = position + range.rows.length;
  return { items: range.rows.map(map), endCursor: range.rows.length > 0 ? encodeCursor(next) : null, hasNextPage: range.more };
}
