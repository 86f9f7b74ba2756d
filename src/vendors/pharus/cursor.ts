import { opsError } from '../../errors.js';

/**
 * opsgraph's cursors over Pharus lists. They wrap the vendor's own opaque cursor (document 001,
 * "Conventions / Cursor pagination") with the number of rows of that vendor page already
 * consumed, so a page of opsgraph can end in the middle of a vendor page (a status filter Pharus
 * does not have, or a `first` smaller than the page). Tagged with the list, so a cursor of one list
 * is refused by another.
 */
export interface ListPosition {
  /** The vendor cursor the page starts at; null for the first page. */
  vendorCursor: string | null;
  /** Rows of that vendor page already consumed. */
  skip: number;
}

export function encodePosition(list: string, position: ListPosition): string {
  return Buffer.from(JSON.stringify({ l: list, c: position.vendorCursor, s: position.skip }), 'utf8').toString('base64url');
}

export function decodePosition(list: string, cursor: string | null): ListPosition {
  if (cursor === null) return { vendorCursor: null, skip: 0 };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw notOurs(list);
  }
  if (typeof decoded !== 'object' || decoded === null) throw notOurs(list);
  const { l, c, s } = decoded as { l?: unknown; c?: unknown; s?: unknown };
  if (l !== list || !(c === null || typeof c === 'string') || typeof s !== 'number' || !Number.isInteger(s) || s < 0) throw notOurs(list);
  return { vendorCursor: c, skip: s };
}

function notOurs(list: string) {
  return opsError(`the cursor is not a cursor of the Pharus ${list} list`, { code: 'BAD_USER_INPUT', vendor: 'pharus' });
}
