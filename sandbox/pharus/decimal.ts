/**
 * Exact decimals. Pharus sends money and quantities as decimal strings (document 001: `unitPrice`,
 * `quantity`, `brokerFees` … are `"string"` in responses) and takes them as JSON numbers in
 * requests. The store keeps them as integers scaled by 10^places so that sums never drift.
 */

/** Money: two places (`"12.50"`). */
export const MONEY_PLACES = 2;
/** Inventory quantities and ounces: four places (`"12.0000"`). */
export const QUANTITY_PLACES = 4;

const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

function fromDecimalText(text: string, places: number): number | null {
  const match = PLAIN_DECIMAL.exec(text);
  if (!match) return null;
  const [, sign = '', whole = '0', fraction = ''] = match;
  if (fraction.length > places) return null;
  const scaled = Number(whole) * 10 ** places + Number(fraction.padEnd(places, '0') || '0');
  if (!Number.isSafeInteger(scaled)) return null;
  return sign === '-' ? -scaled : scaled;
}

/**
 * The scaled integer of a JSON number, or null when it has more than `places` decimals or is too
 * large. Works from the number's shortest text form, which is exactly what the client wrote.
 */
export function scaleNumber(value: number, places: number): number | null {
  if (!Number.isFinite(value)) return null;
  return fromDecimalText(String(value), places);
}

/** The scaled integer of a decimal string such as the world's `"12.50"`; throws on bad input. */
export function scaleText(text: string, places: number): number {
  const scaled = fromDecimalText(text, places);
  if (scaled === null) throw new Error(`not a decimal with at most ${places} places: ${text}`);
  return scaled;
}

/** `1250, 2` → `"12.50"`. */
export function formatScaled(scaled: number, places: number): string {
  const factor = 10 ** places;
  const abs = Math.abs(scaled);
  const whole = Math.floor(abs / factor);
  const text = places === 0 ? String(whole) : `${whole}.${String(abs % factor).padStart(places, '0')}`;
  return scaled < 0 ? `-${text}` : text;
}

export function formatNullable(scaled: number | null, places: number): string | null {
  return scaled === null ? null : formatScaled(scaled, places);
}
