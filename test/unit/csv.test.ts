import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from '../../src/export/csv.js';

describe('CSV per RFC 4180', () => {
  it('quotes fields with commas, quotes and line breaks, doubles inner quotes, and ends records with CRLF', () => {
    expect(csvRecord(['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere', null, '10.000000001', 3, true])).toBe('plain,"a,b","say ""hi""","two\nlines","cr\rhere",,10.000000001,3,true\r\n');
  });

  it('keeps decimals and times exactly as given, and leaves an empty string distinct from nothing only by quoting nothing', () => {
    expect(csvField('0.000001')).toBe('0.000001');
    expect(csvField('2021-03-08T10:28:28.507476Z')).toBe('2021-03-08T10:28:28.507476Z');
    expect(csvField('')).toBe('');
    expect(csvField(null)).toBe('');
  });
});
