import { GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { isDecimal, toDecimal } from '../src/model/decimal.js';

const CANONICAL_DECIMAL = /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

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

/** DateTime: ISO-8601 in UTC, from graphql-scalars (records already hold ISO strings). */
export const DateTime = new GraphQLScalarType<Date | string, string>({
  ...DateTimeResolver.toConfig(),
  serialize(value) {
    // Records hold ISO-8601 UTC strings already: pass those through without a Date round trip.
    if (typeof value === 'string' && ISO_UTC.test(value)) return value;
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError(`DateTime cannot represent ${JSON.stringify(value)}`);
    return date.toISOString();
  },
});
