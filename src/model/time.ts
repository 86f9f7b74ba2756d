/**
 * Vendor timestamps → opsgraph's `DateTime` text: ISO-8601 in UTC, keeping the precision the vendor
 * sent. The canonical form has 3 fractional digits (milliseconds), or 6 (microseconds) when the
 * vendor sent sub-millisecond digits: Distru's `2021-03-08T10:28:28.507476Z` stays
 * `…28.507476Z`, ISOlocity's `2020-01-01 12:00:00` (no zone) becomes `2020-01-01T12:00:00.000Z`
 * when its zone is UTC. A `Date` would round both to milliseconds, so the text is rebuilt from
 * parts and only the whole seconds go through date arithmetic.
 */

/** `YYYY-MM-DD`, then optionally `T` or a space, `HH:MM[:SS[.fraction]]`, then optionally `Z` or `±HH[:]MM`. */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
/** The canonical form `DateTime` serialises without re-reading. */
export const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.(\d{3}|\d{6})Z$/;

/** true when `zone` is an IANA time zone this Node knows (`UTC`, `America/Chicago`…). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A vendor timestamp as canonical ISO-8601 UTC, or null when absent or unreadable. A timestamp
 * without a zone (ISOlocity's `Y-m-d H:i:s`) is a wall time in `zone`; a bare date is midnight there.
 */
export function toUtcIso(value: string | null | undefined, zone = 'UTC'): string | null {
  if (!value) return null;
  const m = TIMESTAMP.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction, offset] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  // Date.UTC rolls over out-of-range parts (month 13, 25:00): such text is not a timestamp.
  const check = new Date(wall);
  if (Number.isNaN(wall) || check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || check.getUTCHours() !== Number(h) || check.getUTCMinutes() !== Number(mi) || check.getUTCSeconds() !== Number(s)) return null;
  const utc = offset === undefined ? wallTimeInZoneToUtc(wall, zone) : wall - offsetMs(offset);
  return `${new Date(utc).toISOString().slice(0, 19)}.${canonicalFraction(fraction)}Z`;
}

/** Milliseconds, or microseconds when finer digits were sent (nanoseconds are cut to micro). */
function canonicalFraction(fraction: string | undefined): string {
  if (!fraction) return '000';
  return fraction.length <= 3 ? fraction.padEnd(3, '0') : fraction.slice(0, 6).padEnd(6, '0');
}

function offsetMs(offset: string): number {
  if (offset === 'Z' || offset === 'z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60_000;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** How far `zone`'s wall clock is ahead of UTC at the instant `utcMs` (whole seconds). */
function zoneOffsetAt(zone: string, utcMs: number): number {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(utcMs))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The UTC instant at which `zone`'s clocks show the wall time `wallMs` (read as if it were UTC).
 * Two passes settle a wall time next to a DST change; a wall time skipped by the change is read
 * with the offset in force after it, one repeated by it as its first occurrence (test/unit/time.test.ts).
 */
function wallTimeInZoneToUtc(wallMs: number, zone: string): number {
  if (zone === 'UTC') return wallMs;
  const first = wallMs - zoneOffsetAt(zone, wallMs);
  return wallMs - zoneOffsetAt(zone, first);
}
