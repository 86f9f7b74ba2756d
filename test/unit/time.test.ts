import { describe, expect, it } from 'vitest';
import { isKnownTimeZone, toUtcIso } from '../../src/model/time.js';

describe('vendor timestamps become ISO-8601 UTC text', () => {
  it('keeps the microseconds Distru sends (a Date would cut them to milliseconds)', () => {
    expect(toUtcIso('2021-03-08T10:28:28.507476Z')).toBe('2021-03-08T10:28:28.507476Z');
    expect(toUtcIso('2021-03-08T10:28:27.575000Z')).toBe('2021-03-08T10:28:27.575000Z');
  });

  it('writes milliseconds when the vendor sent no finer digits, and cuts nanoseconds to microseconds', () => {
    expect(toUtcIso('2021-03-08T10:28:28Z')).toBe('2021-03-08T10:28:28.000Z');
    expect(toUtcIso('2021-03-08T10:28:28.5Z')).toBe('2021-03-08T10:28:28.500Z');
    expect(toUtcIso('2021-03-08T10:28:28.1234567891Z')).toBe('2021-03-08T10:28:28.123456Z');
  });

  it('applies an explicit offset', () => {
    expect(toUtcIso('2020-01-01T12:00:00+05:30')).toBe('2020-01-01T06:30:00.000Z');
    expect(toUtcIso('2020-01-01T12:00:00.250-0700')).toBe('2020-01-01T19:00:00.250Z');
  });

  it("reads ISOlocity's zone-less `Y-m-d H:i:s` in the given zone, never the host's", () => {
    expect(toUtcIso('2020-01-01 12:00:00')).toBe('2020-01-01T12:00:00.000Z');
    expect(toUtcIso('2020-01-01 12:00:00', 'America/New_York')).toBe('2020-01-01T17:00:00.000Z');
    expect(toUtcIso('2020-07-01 12:00:00', 'America/New_York')).toBe('2020-07-01T16:00:00.000Z');
    expect(toUtcIso('2020-01-01 12:00:00', 'Asia/Kolkata')).toBe('2020-01-01T06:30:00.000Z');
  });

  it('reads a bare date as midnight in the zone', () => {
    expect(toUtcIso('2026-01-15')).toBe('2026-01-15T00:00:00.000Z');
    expect(toUtcIso('2026-01-15', 'America/Chicago')).toBe('2026-01-15T06:00:00.000Z');
  });

  it('reads a wall time skipped by a DST change with the later offset, and a repeated one as its first occurrence', () => {
    // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT; 2026-11-01: 02:00 EDT falls back to 01:00 EST.
    expect(toUtcIso('2026-03-08 02:30:00', 'America/New_York')).toBe('2026-03-08T06:30:00.000Z');
    expect(toUtcIso('2026-03-08 03:00:00', 'America/New_York')).toBe('2026-03-08T07:00:00.000Z');
    expect(toUtcIso('2026-11-01 01:30:00', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
    expect(toUtcIso('2026-11-01 02:30:00', 'America/New_York')).toBe('2026-11-01T07:30:00.000Z');
  });

  it('answers null for absent or impossible timestamps rather than guessing', () => {
    expect(toUtcIso(null)).toBeNull();
    expect(toUtcIso('')).toBeNull();
    expect(toUtcIso('2020-02-30 12:00:00')).toBeNull();
    expect(toUtcIso('2020-01-01 25:00:00')).toBeNull();
    expect(toUtcIso('yesterday')).toBeNull();
  });

  it('knows IANA zones and refuses made-up ones', () => {
    expect(isKnownTimeZone('UTC')).toBe(true);
    expect(isKnownTimeZone('America/Chicago')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
