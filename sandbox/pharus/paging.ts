import { PharusApiError } from './errors.js';
import type { PageSlice } from './table.js';

/**
 * Cursor pages. Document 001, "Conventions / Cursor pagination": unbounded reads take
 * `?cursor=<opaque>&limit=<int>` and answer `{ data, nextCursor }` with `nextCursor: string | null`.
 * The cursor is base64url JSON naming the list it belongs to and the sort key of the last row
 * returned, so a cursor from one list is refused by another.
 */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

export interface Page<J> {
  data: J[];
  nextCursor: string | null;
}

export function encodeCursor(list: string, after: string): string {
  return Buffer.from(JSON.stringify({ l: list, a: after }), 'utf8').toString('base64url');
}

/** The sort key a cursor continues after; a foreign or mangled cursor is a validation error. */
export function decodeCursor(list: string, cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () => new PharusApiError('validation_failed', 'Invalid cursor', { issues: [{ location: 'query', path: 'cursor', message: 'not a cursor this list returned' }] });
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof decoded !== 'object' || decoded === null) throw invalid();
  const { l, a } = decoded as { l?: unknown; a?: unknown };
  if (l !== list || typeof a !== 'string') throw invalid();
  return a;
}

export function toPage<T, J>(list: string, slice: PageSlice<T>, serialize: (row: T) => J): Page<J> {
  return { data: slice.rows.map(serialize), nextCursor: slice.nextAfter === null ? null : encodeCursor(list, slice.nextAfter) };
}
