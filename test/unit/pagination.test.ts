import { describe, expect, it } from 'vitest';
import { paginate, type Segment } from '../../src/server/segment-pagination.js';
import { errorCode } from '../../src/errors.js';

/** A vendor list paged by offset with a hard page-size maximum, counting its calls. */
function offsetSegment(name: string, items: string[], maxPage: number) {
  const calls: { first: number; after: string | null }[] = [];
  const segment: Segment<string> = {
    name,
    list: async ({ first, after }) => {
      calls.push({ first, after });
      const start = after === null ? 0 : Number(after);
      const slice = items.slice(start, start + Math.min(first, maxPage));
      const end = start + slice.length;
      return { items: slice, endCursor: slice.length ? String(end) : after, hasNextPage: end < items.length };
    },
  };
  return { segment, calls };
}

describe('connections across vendor lists', () => {
  it('pages through every segment to the end, each item once, in order', async () => {
    const a = offsetSegment('A', ['a1', 'a2', 'a3', 'a4', 'a5'], 2);
    const b = offsetSegment('B', [], 10);
    const c = offsetSegment('C', ['c1', 'c2', 'c3'], 10);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const conn: Awaited<ReturnType<typeof paginate<string>>> = await paginate([a.segment, b.segment, c.segment], 3, after);
      seen.push(...conn.nodes);
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'c1', 'c2', 'c3']);
  });

  it('resumes from any edge cursor', async () => {
    const a = offsetSegment('A', ['a1', 'a2', 'a3', 'a4'], 10);
    const conn = await paginate([a.segment], 4, null);
    const fromSecond = await paginate([a.segment], 2, conn.edges[1]?.cursor ?? null);
    expect(fromSecond.nodes).toEqual(['a3', 'a4']);
    expect(fromSecond.pageInfo.hasNextPage).toBe(false);
  });

  it('rejects a foreign cursor and a page size out of range', async () => {
    const a = offsetSegment('A', ['a1'], 10);
    expect(errorCode(await paginate([a.segment], 1, 'not-a-cursor').catch((e: unknown) => e))).toBe('BAD_USER_INPUT');
    expect(errorCode(await paginate([a.segment], -1, null).catch((e: unknown) => e))).toBe('BAD_USER_INPUT');
    expect(errorCode(await paginate([a.segment], 501, null).catch((e: unknown) => e))).toBe('BAD_USER_INPUT');
  });
});

describe('keyset cursors', () => {
  it('round-trips a position and refuses a cursor of another list, another ordering or no cursor at all', async () => {
    const { encodeCursor, decodeCursor } = await import('../../src/server/pagination.js');
    const position = { value: '2026-03-01T10:00:00.000000Z', vendor: 'DISTRU', key: 'a-b' };
    const cursor = encodeCursor('orders', 'TIME:DESC', position);
    expect(decodeCursor(cursor, 'orders', 'TIME:DESC')).toEqual(position);
    for (const [after, list, ordering] of [
      [cursor, 'invoices', 'TIME:DESC'],
      [cursor, 'orders', 'TIME:ASC'],
      ['not a cursor', 'orders', 'TIME:DESC'],
      [Buffer.from('{"l":"orders"}').toString('base64url'), 'orders', 'TIME:DESC'],
    ] as const) {
      let caught: unknown = null;
      try {
        decodeCursor(after, list, ordering);
      } catch (error) {
        caught = error;
      }
      expect(errorCode(caught)).toBe('BAD_USER_INPUT');
    }
  });
});
