import { describe, expect, it } from 'vitest';
import { connectionOf, decodeCursor, encodeCursor, validateFirst } from '../../src/server/pagination.js';
import { errorCode } from '../../src/errors.js';

const refusal = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return errorCode(error);
  }
  return null;
};

describe('keyset connections', () => {
  it('gives every edge a cursor that resumes right after it, and says whether more follow', async () => {
    const rows = ['a', 'b', 'c'].map((key, i) => ({ position: { value: `v${i}`, vendor: 'DISTRU', key }, node: key }));
    const conn = connectionOf('orders', 'TIME:ASC', rows, true, null, () => Promise.resolve(42));
    expect(conn.nodes).toEqual(['a', 'b', 'c']);
    expect(conn.edges.map((e) => decodeCursor(e.cursor, 'orders', 'TIME:ASC').key)).toEqual(['a', 'b', 'c']);
    expect(conn.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: conn.edges[0]?.cursor, endCursor: conn.edges[2]?.cursor });
    expect(await conn.totalCount()).toBe(42);
    const empty = connectionOf('orders', 'TIME:ASC', [], false, conn.pageInfo.endCursor, () => Promise.resolve(0));
    expect(empty.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
  });

  it('round-trips a position and refuses a cursor of another list, another ordering or no cursor at all', () => {
    const position = { value: '2026-03-01T10:00:00.000000Z', vendor: 'DISTRU', key: 'a-b' };
    const cursor = encodeCursor('orders', 'TIME:DESC', position);
    expect(decodeCursor(cursor, 'orders', 'TIME:DESC')).toEqual(position);
    expect(refusal(() => decodeCursor(cursor, 'invoices', 'TIME:DESC'))).toBe('BAD_USER_INPUT');
    expect(refusal(() => decodeCursor(cursor, 'orders', 'TIME:ASC'))).toBe('BAD_USER_INPUT');
    expect(refusal(() => decodeCursor('not a cursor', 'orders', 'TIME:DESC'))).toBe('BAD_USER_INPUT');
    expect(refusal(() => decodeCursor(Buffer.from('{"l":"orders"}').toString('base64url'), 'orders', 'TIME:DESC'))).toBe('BAD_USER_INPUT');
  });

  it('keeps the page bound of 0..500', () => {
    expect(validateFirst(undefined)).toBe(20);
    expect(validateFirst(0)).toBe(0);
    expect(validateFirst(500)).toBe(500);
    expect(refusal(() => validateFirst(-1))).toBe('BAD_USER_INPUT');
    expect(refusal(() => validateFirst(501))).toBe('BAD_USER_INPUT');
  });
});
