import { describe, expect, it } from 'vitest';
import { addDecimals, multiplyDecimals, toDecimal } from '../../src/model/decimal.js';

describe('exact decimals', () => {
  it('normalises vendor spellings to one canonical form', () => {
    expect(toDecimal('10.000000000')).toBe('10');
    expect(toDecimal('12.500000000')).toBe('12.5');
    expect(toDecimal(0.1)).toBe('0.1');
    expect(toDecimal('-0.000')).toBe('0');
    expect(toDecimal(1e-7)).toBe('0.0000001');
    expect(toDecimal('007.50')).toBe('7.5');
  });

  it('rejects what is not a decimal', () => {
    expect(() => toDecimal('12,5')).toThrow();
    expect(() => toDecimal('')).toThrow();
    expect(() => toDecimal(Number.NaN)).toThrow();
  });

  it('adds and multiplies without floating-point error', () => {
    expect(addDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(addDecimals(['10', '-12.25'])).toBe('-2.25');
    expect(multiplyDecimals('3', '0.1')).toBe('0.3');
    expect(multiplyDecimals('786', '0.006')).toBe('4.716');
  });
});
