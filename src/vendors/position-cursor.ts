import { opsError, type VendorName } from '../errors.js';

/**
 * Cursors over vendor lists that page by position (Distru page numbers, ISOlocity page/per_page):
 * the number of rows already consumed, tagged with the vendor and opaque to clients. A cursor that
 * is not this vendor's is the client's error.
 */
export interface PositionCursor {
  encode(position: number): string;
  /** The position a cursor names; 0 for the start (null). */
  decode(cursor: string | null): number;
}

export function positionCursor(vendor: VendorName, label: string): PositionCursor {
  const pattern = new RegExp(`^${vendor}:(\\d{1,12})$`);
  return {
    encode: (position) => Buffer.from(`${vendor}:${position}`, 'utf8').toString('base64url'),
    decode: (cursor) => {
      if (cursor === null) return 0;
      const match = pattern.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (!match) throw opsError(`the cursor is not a cursor of this ${label} list`, { code: 'BAD_USER_INPUT', vendor });
      return Number(match[1]);
    },
  };
}
