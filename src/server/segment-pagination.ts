import { z } from 'zod';
import { opsError } from '../errors.js';
import type { PageRequest, PageResult } from '../model/records.js';

/**
 * Relay connections over one or more vendor lists, with cursors that stay valid between requests
 * (BI connectors page on a schedule). A cursor names the segment (vendor), the vendor's own cursor
 * for the page the item was on, and how many items of that page precede the next one: resuming
 * re-reads that page and skips them. So any vendor paging (page numbers, opaque cursors, offsets)
 * can sit behind it, and lists spanning vendors page through each in turn.
 */
export const MAX_PAGE_SIZE = 500;

export interface Segment<T> {
  /** Stable name of the segment in cursors, e.g. "DISTRU". */
  name: string;
  list(page: PageRequest): Promise<PageResult<T>>;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const cursorSchema = z.object({ s: z.string(), a: z.string().nullable(), k: z.number().int().min(0) }).strict();
type Cursor = z.infer<typeof cursorSchema>;

const encode = (c: Cursor) => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');

function decode(after: string, segmentNames: readonly string[]): Cursor {
  try {
    const parsed = cursorSchema.parse(JSON.parse(Buffer.from(after, 'base64url').toString('utf8')));
    if (segmentNames.includes(parsed.s)) return parsed;
  } catch {
    // fall through to the client error below
  }
  throw opsError('after: not a cursor of this list (use an endCursor or edge cursor this list returned)', { code: 'BAD_USER_INPUT', field: 'after' });
}

export function validateFirst(first: number | null | undefined, fallback = 20): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE_SIZE) {
    throw opsError(`first: must be an integer from 0 to ${MAX_PAGE_SIZE}, got ${n}`, { code: 'BAD_USER_INPUT', field: 'first' });
  }
  return n;
}

/** One connection page across `segments`, in order. */
export async function paginate<T>(segments: readonly Segment<T>[], firstArg: number | null | undefined, after: string | null | undefined): Promise<Connection<T>> {
  const first = validateFirst(firstArg);
  const names = segments.map((s) => s.name);
  let position: Cursor | null = after ? decode(after, names) : null;
  let segmentIndex = position ? names.indexOf(position.s) : 0;
  let pageCursor: string | null = position?.a ?? null;
  let skip = position?.k ?? 0;
  const edges: Edge<T>[] = [];
  let hasNextPage = false;

  while (segmentIndex < segments.length) {
    const segment = segments[segmentIndex] as Segment<T>;
    if (edges.length >= first) {
      // Full: is there anything after? Only ask when the current segment might be exhausted.
      hasNextPage = true;
      break;
    }
    const want = first - edges.length;
    // Ask one more than needed so that we know whether another item follows.
    const page = await segment.list({ first: skip + want + 1, after: pageCursor });
    const fresh = page.items.slice(skip);
    fresh.slice(0, want).forEach((node, i) => {
      edges.push({ node, cursor: encode({ s: segment.name, a: pageCursor, k: skip + i + 1 }) });
    });
    if (fresh.length > want) {
      hasNextPage = true;
      break;
    }
    if (page.hasNextPage && page.endCursor !== null) {
      // The page ended before we had enough: continue on the vendor's next page.
      pageCursor = page.endCursor;
      skip = 0;
      continue;
    }
    segmentIndex++;
    pageCursor = null;
    skip = 0;
    position = null;
    if (edges.length >= first && segmentIndex < segments.length) {
      // Later segments may be empty: peek one item so hasNextPage is exact.
      for (let i = segmentIndex; i < segments.length; i++) {
        const peek = await (segments[i] as Segment<T>).list({ first: 1, after: null });
        if (peek.items.length > 0) {
          hasNextPage = true;
          break;
        }
      }
      break;
    }
  }
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage,
      hasPreviousPage: after !== null && after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
