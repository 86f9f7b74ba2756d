/**
 * Exact decimals as strings. Vendors send "10.000000000" (Distru), 12.5 (JSON numbers) or "12.50";
 * opsgraph answers one canonical form: no exponent, no trailing fractional zeros, "-" for negatives
 * ("10", "12.5", "-3.25"). Values are never routed through floating-point arithmetic except where a
 * vendor itself sends a JSON number, which is taken at its shortest round-trip representation.
 */
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

export function toDecimal(value: string | number): string {
  const text = typeof value === 'number' ? numberToPlain(value) : value.trim();
  const match = DECIMAL.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new Error(`not a decimal: ${JSON.stringify(value)}`);
  const sign = match[1] === '-' ? '-' : '';
  const whole = (match[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const result = fraction ? `${whole}.${fraction}` : whole;
  return result === '0' ? '0' : sign + result;
}

/** The same, or null for null/undefined. */
export function toDecimalOrNull(value: string | number | null | undefined): string | null {
  return value === null || value === undefined ? null : toDecimal(value);
}

export function isDecimal(text: string): boolean {
  const match = DECIMAL.exec(text.trim());
  return !!match && !(match[2] === '' && (match[3] ?? '') === '');
}

function numberToPlain(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  const s = String(n);
  if (!/e/i.test(s)) return s;
  // Expand exponent notation (1e-7, 2.5e+21) without losing digits.
  const [mantissa = '0', exp = '0'] = s.toLowerCase().split('e');
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace(/^[+-]/, '');
  const [intPart = '0', fracPart = ''] = digits.split('.');
  const shift = Number(exp);
  const all = intPart + fracPart;
  const point = intPart.length + shift;
  const plain = point <= 0 ? `0.${'0'.repeat(-point)}${all}` : point >= all.length ? all + '0'.repeat(point - all.length) : `${all.slice(0, point)}.${all.slice(point)}`;
  return (negative ? '-' : '') + plain;
}

/** Exact sum of decimal strings (BigInt on a common scale). */
export function addDecimals(values: readonly string[]): string {
  let scale = 0;
  for (const v of values) scale = Math.max(scale, (v.split('.')[1] ?? '').length);
  let total = 0n;
  for (const v of values) {
    const negative = v.startsWith('-');
    const [w = '0', f = ''] = v.replace(/^[+-]/, '').split('.');
    const units = BigInt(w + f.padEnd(scale, '0'));
    total += negative ? -units : units;
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, '0');
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return toDecimal((negative ? '-' : '') + text);
}

/** Exact product of two decimal strings. */
export function multiplyDecimals(a: string, b: string): string {
  const parse = (v: string) => {
    const negative = v.startsWith('-');
    const [w = '0', f = ''] = v.replace(/^[+-]/, '').split('.');
    return { units: BigInt(w + f) * (negative ? -1n : 1n), scale: f.length };
  };
  const x = parse(toDecimal(a));
  const y = parse(toDecimal(b));
  const units = x.units * y.units;
  const scale = x.scale + y.scale;
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return toDecimal((negative ? '-' : '') + text);
}
