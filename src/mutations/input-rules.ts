import { z } from 'zod';

/**
 * The input rules every mutation shares (issue 10): text has a maximum length (the vendor
 * document's where it states one, else 1,000) and no control characters; an idempotency key is a
 * short printable string; ids match their vendor's format before anything is sent, so nothing
 * like `.` or `..` ever reaches a vendor path. Decimals are made canonical by the Decimal scalar
 * (resolvers/scalars.ts), which refuses spaces, exponents and hex.
 */

/** Where a vendor document states no length. */
export const DEFAULT_MAX_TEXT = 1_000;

/** C0 and C1 control characters and DEL; prose may keep tab, line feed and carriage return. */
const CONTROL_IN_LINE = /[\u0000-\u001F\u007F-\u009F]/;
const CONTROL_IN_PROSE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

const tooLong = (max: number) => `must be at most ${max} characters`;

/** One line of text (a number, a code, a name): no control characters at all. */
export const line = (max = DEFAULT_MAX_TEXT) =>
  z
    .string()
    .max(max, tooLong(max))
    .refine((s) => !CONTROL_IN_LINE.test(s), 'must not contain control characters');

/** One line, trimmed, not empty. */
export const requiredLine = (max = DEFAULT_MAX_TEXT) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, tooLong(max))
    .refine((s) => !CONTROL_IN_LINE.test(s), 'must not contain control characters');

/** Free text (a description, notes): line breaks and tabs allowed, other control characters not. */
export const prose = (max = DEFAULT_MAX_TEXT) =>
  z
    .string()
    .max(max, tooLong(max))
    .refine((s) => !CONTROL_IN_PROSE.test(s), 'must not contain control characters');

/** Client-chosen, stored and compared: short and printable. */
export const idempotencyKey = line(200).nullish();

/** A password is sent as given (spaces and symbols included), but bounded and without control characters. */
export const secretText = line(256);

export const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** MongoDB ObjectId: 24 hex digits (HAPIHub, docs/vendors/hapihub.md "Transaction ids"). */
export const OBJECT_ID = /^[0-9a-fA-F]{24}$/;
/** A positive integer id (ISOlocity). */
export const INTEGER_ID = /^[1-9]\d{0,14}$/;
/** A reference a vendor generated (Pharus transfer `ref`, e.g. `FGT-000001`): letters, digits, `_` and `-`, starting with a letter or digit. */
export const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
