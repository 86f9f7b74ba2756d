/**
 * Exact decimals for Distru money and quantities. Distru sends them as strings with a fixed number
 * of places (quantities and unit prices nine, totals and charge prices two, charge percents four:
 * seed 002, "Invoice"/"Order" examples), so the sandbox keeps every amount as a bigint of
 * billionths and only formats at the edge. Floats would turn `"0.1"` into `0.1000000000000000055`.
 */
export type Decimal = bigint;

const PLACES = 9;
const SCALE = 10n ** BigInt(PLACES);
const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Parses `"10"`, `"-5.0000"` or `1.5`; null when the text is not a plain decimal or has more than nine places. */
export function parseDecimal(value: string | number): Decimal | null {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  const match = DECIMAL_TEXT.exec(text);
  if (!match) return null;
  const [, sign, whole = '0', fraction = ''] = match;
  if (fraction.replace(/0+$/, '').length > PLACES) return null;
  const units = BigInt(whole) * SCALE + BigInt(fraction.slice(0, PLACES).padEnd(PLACES, '0'));
  return sign === '-' ? -units : units;
}

/** A whole number as a decimal. */
export function fromInteger(n: number): Decimal {
  return BigInt(n) * SCALE;
}

/** a × b, rounded half away from zero to nine places. */
export function multiply(a: Decimal, b: Decimal): Decimal {
  return divideRounded(a * b, SCALE);
}

/** a × percent / 100, rounded half away from zero to nine places. */
export function percentOf(a: Decimal, percent: Decimal): Decimal {
  return divideRounded(a * percent, SCALE * 100n);
}

/** Rounds to `places` decimal places (half away from zero), still in billionths. */
export function round(a: Decimal, places: number): Decimal {
  const step = 10n ** BigInt(PLACES - places);
  return divideRounded(a, step) * step;
}

/** Formats with exactly `places` places (rounding half away from zero): `format(10n * SCALE, 9)` is `"10.000000000"`. */
export function format(a: Decimal, places: number = PLACES): string {
  const rounded = round(a, places);
  const negative = rounded < 0n;
  const abs = negative ? -rounded : rounded;
  const whole = abs / SCALE;
  const fraction = (abs % SCALE).toString().padStart(PLACES, '0').slice(0, places);
  return `${negative ? '-' : ''}${whole}${places > 0 ? `.${fraction}` : ''}`;
}

/** The shortest text for a value: `"10"`, `"2.5"` (used in messages such as "Only 10 left uninvoiced"). */
export function formatShort(a: Decimal): string {
  return format(a).replace(/\.?0+$/, '');
}

function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice < denominator) return quotient;
  return numerator < 0n ? quotient - 1n : quotient + 1n;
}
