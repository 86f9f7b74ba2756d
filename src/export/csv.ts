/**
 * CSV as RFC 4180 says (https://www.rfc-editor.org/rfc/rfc4180#section-2): records end with CRLF; a
 * field holding a comma, a double quote, CR or LF is enclosed in double quotes, and a double quote
 * inside it is doubled. An absent value (null) is an empty field; every other value is its text as is
 * (decimals stay the exact strings opsgraph holds, times ISO-8601).
 */
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRecord(values: readonly (string | number | boolean | null)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
