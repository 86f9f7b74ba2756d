import { opsError } from '../../errors.js';
import type { PageResult } from '../../model/records.js';
import type { Range } from './client.js';

/**
 * ISOlocity lists are pages of an id-ordered list (new records go to the end), so a position in
 * the list is a stable cursor: it is the number of rows already consumed, opaque to clients.
 */
const CURSOR = /^isolocity:(\d{1,12})$/;

export function encodeCursor(position: number): string {
  return Buffer.from(`isolocity:${position}`, 'utf8').toString('base64url');
}

/** The position a cursor names (0 for the start); a cursor that is not ours is the client's error. */
export function decodeCursor(cursor: string | null): number {
  if (cursor === null) return 0;
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw opsError('the cursor is not a cursor of this ISOlocity list', { code: 'BAD_USER_INPUT', vendor: 'isolocity' });
  return Number(match[1]);
}

/** A range read at `position` as a page: the cursor points past its last row. */
export function toPage<T, R>(range: Range<T>, position: number, map: (row: T) => R): PageResult<R> {
  const next = position + range.rows.length;
  return { items: range.rows.map(map), endCursor: range.rows.length > 0 ? encodeCursor(next) : null, hasNextPage: next < range.total };
}
