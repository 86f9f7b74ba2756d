import { Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateTime } from '../../resolvers/scalars.js';

describe('DateTime keeps the precision it was given, in ISO-8601 UTC', () => {
  it('serialises microseconds as they are, and milliseconds as they are', () => {
    expect(DateTime.serialize('2021-03-08T10:28:28.507476Z')).toBe('2021-03-08T10:28:28.507476Z');
    expect(DateTime.serialize('2021-03-08T10:28:28.507Z')).toBe('2021-03-08T10:28:28.507Z');
    expect(DateTime.serialize(new Date('2021-03-08T10:28:28.507Z'))).toBe('2021-03-08T10:28:28.507Z');
  });

  it('serialises another offset as UTC without losing microseconds', () => {
    expect(DateTime.serialize('2021-03-08T12:28:28.507476+02:00')).toBe('2021-03-08T10:28:28.507476Z');
  });

  it('takes inputs with microseconds and keeps them (a Date would cut them)', () => {
    expect(DateTime.parseValue('2021-03-08T10:28:28.507476Z')).toBe('2021-03-08T10:28:28.507476Z');
    expect(DateTime.parseLiteral({ kind: Kind.STRING, value: '2021-03-08T05:28:28.507476-05:00' }, {})).toBe('2021-03-08T10:28:28.507476Z');
    expect(DateTime.parseValue('2021-03-08T10:28:28Z')).toBe('2021-03-08T10:28:28.000Z');
  });

  it('still refuses an input that is not an RFC 3339 date-time', () => {
    expect(() => DateTime.parseValue('yesterday')).toThrow();
    expect(() => DateTime.parseValue('2021-03-08 10:28:28')).toThrow();
  });
});
