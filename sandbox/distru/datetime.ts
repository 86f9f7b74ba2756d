/**
 * Distru datetimes: UTC with six fractional digits, `2024-04-12T10:28:27.575405Z` (seed 002, every
 * recorded response). The sandbox keeps epoch milliseconds and pads the microseconds with zeros.
 */
export function formatDatetime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function formatNullableDatetime(ms: number | null): string | null {
  return ms === null ? null : formatDatetime(ms);
}

/** ISO-8601 date-time with a zone (`Z` or `±hh:mm`), any number of fractional digits. */
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch ms of an ISO-8601 date-time, or null when the text is not one. */
export function parseDatetime(text: string): number | null {
  if (!ISO_DATETIME.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * A filter bound in epoch ms, keeping the digits past the millisecond as a fraction: Distru's
 * datetimes carry microseconds (seed 002), so `from` = a record's time plus 1 µs leaves that record
 * out, as it would at Distru, though the sandbox keeps whole milliseconds.
 */
function parseFilterTime(text: string): number | null {
  const ms = parseDatetime(text);
  const beyond = /\.\d{3}(\d+)(?:Z|[+-])/.exec(text)?.[1];
  return ms === null || beyond === undefined ? ms : ms + Number(`0.${beyond}`);
}

/**
 * A date filter: `from,to`, `,to` (before) or `from,` (after) — the form Distru documents for every
 * `*_datetime` filter. `from` is inclusive and `to` exclusive, so consecutive ranges never overlap
 * and an incremental sync from the last seen `updated_datetime` never misses a record.
 */
export interface DateRange {
  from: number | null;
  to: number | null;
}

export function parseDateRange(text: string): DateRange | null {
  const parts = text.split(',');
  if (parts.length !== 2) return null;
  const [fromText = '', toText = ''] = parts.map((p) => p.trim());
  if (fromText === '' && toText === '') return null;
  const from = fromText === '' ? null : parseFilterTime(fromText);
  const to = toText === '' ? null : parseFilterTime(toText);
  if ((fromText !== '' && from === null) || (toText !== '' && to === null)) return null;
  return { from, to };
}

export function inRange(ms: number | null, range: DateRange): boolean {
  if (ms === null) return false;
  return (range.from === null || ms >= range.from) && (range.to === null || ms < range.to);
}
