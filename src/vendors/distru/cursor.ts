import { opsError } from '../../errors.js';
import type { PageResult } from '../../model/records.js';
import type { Range } from './client.js';

/**
 * Distru lists page by number over a fixed order, so a position in the list is the cursor: the
 * number of rows already consumed, opaque to clients. Orders and invoices are newest first, so a
 * record created between two pages shifts the rest by one: the next page may repeat a record, never
 * skip one (docs/vendors/distru.md).
 */
const CURSOR = /^distru:(\d{1,12})$/;

export function encodeCursor(position: number): string {
  return Buffer.from(`distru:${position}`, 'utf8').toString('base64url');
}

/** The position a cursor names (0 for the start); a cursor that is not ours is the client's error. */
export function decodeCursor(cursor: string | null): number {
  if (cursor === null) return 0;
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw opsError('the cursor is not a cursor of this Distru list', { code: 'BAD_USER_INPUT', vendor: 'distru' });
  return Number(match[1]);
}

/** A range read at `position` as a page: the cursor points past its last row (rows `map` drops still count). */
export function toPage<T, R>(range: Range<T>, position: number, map: (row: T) => R | null): PageResult<R> {
  const next = position + range.rows.length;
  const items = range.rows.flatMap((row) => {
    const item = map(row);
    return item === null ? [] : [item];
  });
  return { items, endCursor: range.rows.length > 0 ? encodeCursor(next) : null, hasNextPage: range.more };
}
