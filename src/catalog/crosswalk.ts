import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Vendor } from '../model/records.js';
import { VENDORS } from '../model/records.js';

/**
 * The crosswalk joins SKUs whose codes differ between vendors. A file lists only the exceptions:
 *
 *   { "skus": [ { "code": "OG-00008", "pharus": "OG00008" }, { "code": "OG-00014", "hapihub": "HH-00014" } ] }
 *
 * `code` is the canonical code (what opsgraph calls the SKU); each vendor key gives that vendor's
 * spelling. Every other code is the same in every vendor. Nothing is guessed: codes that match no
 * entry and no vendor stay unmatched and are reported as such.
 */
const vendorKeys = { isolocity: 'ISOLOCITY', pharus: 'PHARUS', distru: 'DISTRU', hapihub: 'HAPIHUB' } as const;

const entrySchema = z
  .object({
    code: z.string().min(1),
    isolocity: z.string().min(1).optional(),
    pharus: z.string().min(1).optional(),
    distru: z.string().min(1).optional(),
    hapihub: z.string().min(1).optional(),
  })
  .strict();
export const crosswalkFileSchema = z.object({ skus: z.array(entrySchema) }).strict();
export type CrosswalkEntryInput = z.infer<typeof entrySchema>;

export class Crosswalk {
  /** vendor → vendor code → canonical code */
  private toCanonicalMap = new Map<Vendor, Map<string, string>>();
  /** vendor → canonical code → vendor code */
  private toVendorMap = new Map<Vendor, Map<string, string>>();

  constructor(entries: readonly CrosswalkEntryInput[] = []) {
    for (const v of VENDORS) {
      this.toCanonicalMap.set(v, new Map());
      this.toVendorMap.set(v, new Map());
    }
    for (const entry of entries) {
      for (const [key, vendor] of Object.entries(vendorKeys) as [keyof typeof vendorKeys, Vendor][]) {
        const vendorCode = entry[key];
        if (vendorCode === undefined) continue;
        const already = this.toCanonicalMap.get(vendor)?.get(vendorCode);
        if (already !== undefined && already !== entry.code) {
          throw new Error(`crosswalk: ${key} code "${vendorCode}" is mapped to both "${already}" and "${entry.code}"`);
        }
        this.toCanonicalMap.get(vendor)?.set(vendorCode, entry.code);
        this.toVendorMap.get(vendor)?.set(entry.code, vendorCode);
      }
    }
  }

  static fromFile(path: string): Crosswalk {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`CROSSWALK_FILE ${path}: ${(error as Error).message}`);
    }
    const parsed = crosswalkFileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`CROSSWALK_FILE ${path}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`);
    }
    return new Crosswalk(parsed.data.skus);
  }

  /** The canonical code for a vendor's spelling (itself when no entry maps it). */
  toCanonical(vendor: Vendor, vendorCode: string): string {
    return this.toCanonicalMap.get(vendor)?.get(vendorCode) ?? vendorCode;
  }

  /**
   * The vendor's spelling of a canonical code. A code that is some vendor's exception spelling is
   * first mapped to its canonical code, so that `sku(code: "OG00008")` finds OG-00008 everywhere.
   */
  toVendor(vendor: Vendor, code: string): string {
    const canonical = this.canonicalOfAny(code);
    return this.toVendorMap.get(vendor)?.get(canonical) ?? canonical;
  }

  /** The canonical code for any vendor's spelling, or the code itself. */
  canonicalOfAny(code: string): string {
    for (const map of this.toCanonicalMap.values()) {
      const canonical = map.get(code);
      if (canonical !== undefined) return canonical;
    }
    return code;
  }

  get size(): number {
    let n = 0;
    for (const map of this.toVendorMap.values()) n += map.size;
    return n;
  }
}
