import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Crosswalk } from '../../src/catalog/crosswalk.js';

describe('crosswalk', () => {
  const crosswalk = new Crosswalk([{ code: 'OG-00008', pharus: 'OG00008' }, { code: 'OG-00014', hapihub: 'HH-00014' }]);

  it('maps a vendor spelling to the canonical code and back', () => {
    expect(crosswalk.toCanonical('PHARUS', 'OG00008')).toBe('OG-00008');
    expect(crosswalk.toVendor('PHARUS', 'OG-00008')).toBe('OG00008');
    expect(crosswalk.toVendor('DISTRU', 'OG-00008')).toBe('OG-00008');
  });

  it('accepts any vendor spelling where a canonical code is expected', () => {
    expect(crosswalk.toVendor('HAPIHUB', 'OG00008')).toBe('OG-00008');
    expect(crosswalk.canonicalOfAny('HH-00014')).toBe('OG-00014');
  });

  it('leaves codes without an entry unchanged (nothing is guessed)', () => {
    expect(crosswalk.toCanonical('PHARUS', 'og-00008')).toBe('og-00008');
  });

  it('refuses a file that maps one vendor code to two SKUs, naming the code', () => {
    expect(() => new Crosswalk([{ code: 'A', pharus: 'X' }, { code: 'B', pharus: 'X' }])).toThrow(/"X"/);
  });

  it('refuses a malformed file naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crosswalk-'));
    const file = join(dir, 'crosswalk.json');
    writeFileSync(file, JSON.stringify({ skus: [{ code: 'A', acme: 'B' }] }));
    expect(() => Crosswalk.fromFile(file)).toThrow(/CROSSWALK_FILE/);
  });
});

describe('the example crosswalk file', () => {
  it('is a valid crosswalk that joins exactly the sandbox world’s differing codes', async () => {
    const { generateWorld, worldCrosswalk } = await import('../../sandbox/world/index.js');
    const { readFileSync } = await import('node:fs');
    const file = new URL('../../config/crosswalk.example.json', import.meta.url);
    expect(() => Crosswalk.fromFile(file.pathname)).not.toThrow();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ skus: worldCrosswalk(generateWorld()) });
  });
});
