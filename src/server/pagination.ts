import { z } from 'zod';
import { opsError } from '../errors.js';

/**
 * Relay connections over the synced store, with keyset cursors. A cursor names the list, the
 * ordering it was made under, and the last row's position in that ordering (the ordered value, the
 * vendor, the vendor's key): the next page is "the rows after that triple", read through an index,
 * so page 1000 costs what page 1 costs and a row added meanwhile neither shifts nor repeats others.
 * A cursor of another list or another ordering is refused: its position means nothing here.
 */
export const MAX_PAGE_SIZE = 500;

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** A connection page; `totalCount` is counted only when the query selects it. */
export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: () => Promise<number>;
}

/** Where a row sits in a list's ordering: the ordered column's value, then vendor and key break ties. */
export interface KeysetPosition {
  value: string;
  vendor: string;
  key: string;
}

const cursorSchema = z.object({ l: z.string(), o: z.string(), v: z.string(), d: z.string(), k: z.string() }).strict();

export function encodeCursor(list: string, ordering: string, position: KeysetPosition): string {
  return Buffer.from(JSON.stringify({ l: list, o: ordering, v: position.value, d: position.vendor, k: position.key }), 'utf8').toString('base64url');
}

/** The position of `after` in `list` under `ordering`; BAD_USER_INPUT on `after` for anything else. */
export function decodeCursor(after: string, list: string, ordering: string): KeysetPosition {
  let parsed: z.infer<typeof cursorSchema> | null = null;
  try {
    if (/^[A-Za-z0-9_-]+$/.test(after)) parsed = cursorSchema.parse(JSON.parse(Buffer.from(after, 'base64url').toString('utf8')));
  } catch {
    parsed = null;
  }
  if (!parsed) throw badCursor('not a cursor opsgraph made (use an endCursor or edge cursor a list returned)');
  if (parsed.l !== list) throw badCursor(`a cursor of another list (${parsed.l.slice(0, 40)}), not of ${list}`);
  if (parsed.o !== ordering) throw badCursor(`a cursor made under another orderBy (${parsed.o.slice(0, 40)}); this page is ordered by ${ordering}: start again without \`after\``);
  return { value: parsed.v, vendor: parsed.d, key: parsed.k };
}

function badCursor(why: string) {
  return opsError(`after: ${why}`, { code: 'BAD_USER_INPUT', field: 'after' });
}

export function validateFirst(first: number | null | undefined, fallback = 20): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE_SIZE) {
    throw opsError(`first: must be an integer from 0 to ${MAX_PAGE_SIZE}, got ${n}`, { code: 'BAD_USER_INPUT', field: 'first' });
  }
  return n;
}

/** A connection from one page of ordered rows (already fetched `first + 1`-style: `hasNext` known). */
export function connectionOf<T>(list: string, ordering: string, rows: readonly { position: KeysetPosition; node: T }[], hasNext: boolean, after: string | null | undefined, totalCount: () => Promise<number>): Connection<T> {
  const edges = rows.map((row) => ({ node: row.node, cursor: encodeCursor(list, ordering, row.position) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: hasNext,
      hasPreviousPage: after !== null && after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount,
  };
}
