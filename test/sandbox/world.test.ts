import { describe, expect, it } from 'vitest';
import { generateWorld, VENDORS, worldCrosswalk } from '../../sandbox/world/index.js';

describe('generated world', () => {
  it('is the same for the same seed and differs for another seed', () => {
    const a = generateWorld({ seed: 7 });
    const b = generateWorld({ seed: 7 });
    const c = generateWorld({ seed: 8 });
    expect(a.orders.map((o) => o.lines)).toEqual(b.orders.map((o) => o.lines));
    expect(a.skus.map((s) => s.name)).not.toEqual(c.skus.map((s) => s.name));
  });

  it('has showcase orders of 1, 10, 50 and 60 lines on SKUs every vendor carries', () => {
    const w = generateWorld();
    const sizes = [w.showcase.distru.oneLine, w.showcase.distru.tenLines, w.showcase.distru.fiftyLines, w.showcase.distru.sixtyLines].map((k) => w.orderByKey.get(k)?.lines.length);
    expect(sizes).toEqual([1, 10, 50, 60]);
    for (const line of w.orderByKey.get(w.showcase.distru.fiftyLines)?.lines ?? []) {
      const sku = w.skuByCode.get(line.skuCode);
      expect(VENDORS.every((v) => sku?.vendorCodes[v] !== undefined)).toBe(true);
    }
  });

  it('has SKUs missing from some vendors and SKUs whose codes differ, joined by the crosswalk', () => {
    const w = generateWorld();
    expect(w.skus.some((s) => Object.keys(s.vendorCodes).length < 4)).toBe(true);
    const crosswalk = worldCrosswalk(w);
    expect(crosswalk.length).toBeGreaterThan(0);
    for (const entry of crosswalk) {
      const sku = w.skuByCode.get(entry.code);
      if (entry.pharus) expect(sku?.vendorCodes.pharus).toBe(entry.pharus);
      if (entry.hapihub) expect(sku?.vendorCodes.hapihub).toBe(entry.hapihub);
      if (entry.isolocity) expect(sku?.vendorCodes.isolocity).toBe(entry.isolocity);
    }
  });

  it('never invoices more of an order line than was ordered', () => {
    const w = generateWorld();
    const billed = new Map<string, number>();
    for (const inv of w.invoices) for (const l of inv.lines) billed.set(`${inv.orderKey}#${l.lineIndex}`, (billed.get(`${inv.orderKey}#${l.lineIndex}`) ?? 0) + l.quantity);
    for (const [key, qty] of billed) {
      const [orderKey, idx] = key.split('#');
      expect(qty).toBeLessThanOrEqual(w.orderByKey.get(orderKey as string)?.lines[Number(idx)]?.quantity ?? -1);
    }
  });

  it('grows to 100,000 orders and 10,000 SKUs at scale 100', () => {
    const w = generateWorld({ scale: 100 });
    expect(w.orders.length).toBeGreaterThanOrEqual(100_000);
    expect(w.skus.length).toBeGreaterThanOrEqual(10_000);
  });
});
