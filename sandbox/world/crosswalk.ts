import type { VendorName, World } from './types.js';

/**
 * Which SKUs a vendor does not carry, and which it spells differently, decided by the SKU's
 * position alone (never by the seed), so a crosswalk file written once stays true for every seed.
 */
export function vendorPresence(index: number): Record<VendorName, boolean> {
  const r = index % 25;
  return {
    distru: r !== 17,
    pharus: r !== 3,
    isolocity: r !== 3 && r !== 9,
    hapihub: r !== 3 && r !== 5 && r !== 17,
  };
}

/** The vendor's own spelling of a canonical code, for the few SKUs whose codes differ. */
export function vendorCode(index: number, code: string, vendor: VendorName): string {
  const digits = code.replace(/^OG-/, '');
  const r = index % 50;
  if (vendor === 'pharus' && r === 7) return `OG${digits}`;
  if (vendor === 'hapihub' && r === 13) return `HH-${digits}`;
  if (vendor === 'isolocity' && r === 21) return `P-${digits}`;
  return code;
}

/** One entry of a crosswalk file: the canonical code and each vendor's differing code. */
export interface CrosswalkEntry {
  code: string;
  isolocity?: string;
  pharus?: string;
  distru?: string;
  hapihub?: string;
}

/** The crosswalk that joins this world's differing codes (what a user would write by hand). */
export function worldCrosswalk(world: World): CrosswalkEntry[] {
  const entries: CrosswalkEntry[] = [];
  for (const sku of world.skus) {
    const entry: CrosswalkEntry = { code: sku.code };
    let differs = false;
    for (const [vendor, code] of Object.entries(sku.vendorCodes) as [VendorName, string][]) {
      if (code !== sku.code) {
        entry[vendor] = code;
        differs = true;
      }
    }
    if (differs) entries.push(entry);
  }
  return entries;
}
