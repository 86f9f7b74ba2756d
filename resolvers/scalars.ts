import { GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { isDecimal, toDecimal } from '../src/model/decimal.js';
import { CANONICAL_UTC, toUtcIso } from '../src/model/time.js';

const CANONICAL_DECIMAL = /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/;

/**
 * Decimal: exact, as a string. Accepts a string (or, as input, an integer or float literal) and
 * answers the canonical form of src/model/decimal.ts.
 */
export const Decimal = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number, as a string.',
  serialize(value) {
    // Records already hold canonical decimals (mapping normalises them): pass those through.
    if (typeof value === 'string' && value !== '-0' && CANONICAL_DECIMAL.test(value)) return value;
    if (typeof value === 'string' || typeof value === 'number') return toDecimal(value);
    throw new TypeError(`Decimal cannot represent ${typeof value}`);
  },
  parseValue(value) {
    if ((typeof value === 'string' && isDecimal(value)) || (typeof value === 'number' && Number.isFinite(value))) return toDecimal(value);
    throw new TypeError(`Decimal: expected a decimal string such as "12.50", got ${JSON.stringify(value)}`);
  },
  parseLiteral(ast) {
    if ((ast.kind === Kind.STRING && isDecimal(ast.value)) || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return toDecimal(ast.value);
    throw new TypeError('Decimal: expected a decimal string such as "12.50"');
  },
});

/**
 * DateTime: ISO-8601 in UTC with the precision the vendor sent — milliseconds, or microseconds when
 * the vendor sent them (src/model/time.ts). graphql-scalars checks the text of inputs (RFC 3339,
 * with a zone); opsgraph then keeps them as canonical text instead of a Date, which would drop
 * microseconds.
 */
const baseDateTime = DateTimeResolver.toConfig();
const canonicalInput = (value: Date | string): string => {
  if (typeof value === 'string') return toUtcIso(value) ?? value;
  return value.toISOString();
};
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
    const checked = baseDateTime.parseValue?.(value) as Date | string;
    return typeof value === 'string' ? canonicalInput(value) : canonicalInput(checked);
  },
  parseLiteral(ast, variables) {
    const checked = baseDateTime.parseLiteral?.(ast, variables) as Date | string;
    return ast.kind === Kind.STRING ? canonicalInput(ast.value) : canonicalInput(checked);
  },
});
