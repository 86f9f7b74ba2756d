import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { toDecimal } from '../src/model/decimal.js';
import { opsError, quoteInput } from '../src/errors.js';
import { CANONICAL_UTC, toUtcIso } from '../src/model/time.js';

const CANONICAL_DECIMAL = /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/;
/**
 * Decimal input: digits with an optional sign and fraction, nothing else — no spaces, `+`,
 * exponent, hex, `NaN` or empty string ("1e999" and " 12 " are refused, not reinterpreted).
 * At most 40 characters (Distru's 9 fraction digits on 30-digit amounts fit).
 */
const DECIMAL_INPUT = /^-?\d{1,30}(\.\d{1,12})?$/;

/** Every scalar refusal is BAD_USER_INPUT; graphql-js adds the variable's path (see use-error-hardening). */
const badInput = (message: string): GraphQLError => opsError(message, { code: 'BAD_USER_INPUT' });

/**
 * Decimal: exact, as a string. Accepts a string (or, as input, an integer or float literal) and
 * answers the canonical form of src/model/decimal.ts.
 */
export const Decimal = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number, as a string such as "12.50" (no exponent, spaces or hex).',
  serialize(value) {
    // Records already hold canonical decimals (mapping normalises them): pass those through.
    if (typeof value === 'string' && value !== '-0' && CANONICAL_DECIMAL.test(value)) return value;
    if (typeof value === 'string' || typeof value === 'number') return toDecimal(value);
    throw new TypeError(`Decimal cannot represent ${typeof value}`);
  },
  parseValue(value) {
    if (typeof value === 'string' && DECIMAL_INPUT.test(value)) return toDecimal(value);
    if (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < 1e21) return toDecimal(value);
    throw badInput(`Decimal: expected a decimal string such as "12.50", got ${quoteInput(value)}`);
  },
  parseLiteral(ast) {
    if ((ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) && DECIMAL_INPUT.test(ast.value)) return toDecimal(ast.value);
    throw badInput(`Decimal: expected a decimal string such as "12.50", got ${describeLiteral(ast)}`);
  },
});

/**
 * DateTime: ISO-8601 in UTC with the precision the vendor sent — milliseconds, or microseconds when
 * the vendor sent them (src/model/time.ts). graphql-scalars checks the text of inputs (RFC 3339,
 * with a zone); opsgraph then keeps them as canonical text instead of a Date, which would drop
 * microseconds. Every refusal is BAD_USER_INPUT.
 */
const baseDateTime = DateTimeResolver.toConfig();
const canonicalInput = (value: Date | string): string => {
  if (typeof value === 'string') return toUtcIso(value) ?? value;
  return value.toISOString();
};
const dateTimeRefusal = (got: string): GraphQLError => badInput(`DateTime: expected an ISO-8601 date-time such as "2026-06-01T10:32:05Z", got ${got}`);

export const DateTime = new GraphQLScalarType<Date | string, string>({
  ...baseDateTime,
  description: 'An instant in ISO-8601 form, UTC, with the precision the vendor sent: milliseconds ("2026-06-01T12:00:00.000Z"), or microseconds when the vendor sent them ("2021-03-08T10:28:28.507476Z").',
  serialize(value) {
    // Records hold canonical ISO-8601 UTC strings already: pass those through without a Date round trip.
    if (typeof value === 'string' && CANONICAL_UTC.test(value)) return value;
    if (typeof value === 'string') {
      const text = toUtcIso(value);
      if (text !== null) return text;
    }
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError(`DateTime cannot represent ${JSON.stringify(value)}`);
    return date.toISOString();
  },
  parseValue(value) {
    let checked: Date | string;
    try {
      checked = baseDateTime.parseValue?.(value) as Date | string;
    } catch {
      throw dateTimeRefusal(quoteInput(value));
    }
    return typeof value === 'string' ? canonicalInput(value) : canonicalInput(checked);
  },
  parseLiteral(ast, variables) {
    let checked: Date | string;
    try {
      checked = baseDateTime.parseLiteral?.(ast, variables) as Date | string;
    } catch {
      throw dateTimeRefusal(describeLiteral(ast));
    }
    return ast.kind === Kind.STRING ? canonicalInput(ast.value) : canonicalInput(checked);
  },
});

function describeLiteral(ast: ValueNode): string {
  return 'value' in ast && typeof ast.value === 'string' ? quoteInput(ast.value) : `a ${ast.kind.toLowerCase()} value`;
}
