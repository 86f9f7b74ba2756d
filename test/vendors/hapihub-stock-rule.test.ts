import { describe, expect, it } from 'vitest';
import { foldStock, stockDeltas, stockKey, type FoldableItem, type FoldableTransaction } from '../../src/vendors/hapihub/stock-rule.js';
import { StockFold } from '../../src/vendors/hapihub/stock-fold.js';
import { HapihubStore } from '../../sandbox/hapihub/store.js';
import { parseQueryString } from '../../sandbox/hapihub/querystring.js';
import { HapihubError } from '../../sandbox/hapihub/errors.js';
import { generateWorld } from '../../sandbox/world/index.js';

// The HAPIHub stock rule (src/vendors/hapihub/stock-rule.ts, imported by the sandbox), and pure
// parts of the HAPIHub sandbox: the qs-style query string parser and the projection's determinism.

const item = { sku: 'OG-00001', control: 'LOT-1' };

describe('HAPIHub stock fold', () => {
  it('applies each transaction type’s sign convention', () => {
    const delta = (tx: FoldableTransaction) => stockDeltas(tx).map((d) => [d.warehouse, d.delta]);
    expect(delta({ type: 'adjustment', warehouse: 'A', items: [{ ...item, adjustment: -4, quantity: 100 }] })).toEqual([['A', -4]]);
    expect(delta({ warehouse: 'A', items: [{ ...item, adjustment: 2 }] })).toEqual([['A', 2]]);
    // A purchase is an order awaiting approval; its goods arrive with the receiving that names it.
    expect(delta({ type: 'purchase', warehouse: 'A', items: [{ ...item, quantity: 5 }] })).toEqual([]);
    expect(delta({ type: 'receiving', warehouse: 'A', items: [{ ...item, quantity: 5 }] })).toEqual([['A', 5]]);
    expect(delta({ type: 'return', warehouse: 'A', items: [{ ...item, quantity: 1 }] })).toEqual([['A', 1]]);
    expect(delta({ type: 'sales', warehouse: 'A', items: [{ ...item, quantity: 3 }] })).toEqual([['A', -3]]);
    expect(delta({ type: 'transfer', warehouse: 'X', source: 'A', destination: 'B', items: [{ ...item, quantity: 6 }] })).toEqual([
      ['A', -6],
      ['B', 6],
    ]);
    expect(delta({ type: 'transfer', warehouse: 'A', destination: 'B', items: [{ ...item, quantity: 6 }] })).toEqual([
      ['A', -6],
      ['B', 6],
    ]);
    expect(delta({ type: 'transfer', warehouse: 'A', items: [{ ...item, quantity: 6 }] })).toEqual([]);
    expect(delta({ type: 'packaging', warehouse: 'A', items: [{ ...item, quantity: 9 }] })).toEqual([]);
    expect(delta({ type: 'consignment', warehouse: 'A', items: [{ ...item, quantity: 9 }] })).toEqual([]);
  });

  it('counts a purchase and the receiving that names it once: stock = receiving + return − sales ± adjustment', () => {
    const purchase = { id: 'P1', type: 'purchase', warehouse: 'A', acknowledgedAt: 1, approvedItems: [], items: [{ ...item, quantity: 10 }] };
    const receiving = { id: 'R1', type: 'receiving', warehouse: 'A', transaction: 'P1', items: [{ ...item, quantity: 10 }] };
    const sale = { type: 'sales', warehouse: 'A', items: [{ ...item, quantity: 4 }] };
    const back = { type: 'return', warehouse: 'A', items: [{ ...item, quantity: 1 }] };
    const counted = { type: 'adjustment', warehouse: 'A', items: [{ ...item, adjustment: -2 }] };
    const packed = { type: 'packaging', warehouse: 'A', transaction: 'R1', items: [{ ...item, quantity: 10 }] };
    expect(foldStock([purchase, receiving, sale, back, counted, packed]).get(stockKey(item.sku, item.control, 'A'))?.quantity).toBe(10 - 4 + 1 - 2);
  });

  it('skips items without a sku and keeps untracked items under control null, tolerating nulls', () => {
    const unnamed: FoldableItem = { quantity: 2 };
    expect(stockDeltas({ type: 'receiving', warehouse: 'A', items: [unnamed] })).toEqual([]);
    expect(stockDeltas({ type: 'receiving', warehouse: 'A', items: [{ sku: 'S', control: null, quantity: null }, { sku: 'S', quantity: 2 }] })).toEqual([{ sku: 'S', control: null, warehouse: 'A', delta: 2 }]);
    expect(stockDeltas({ type: 'sales', warehouse: 'A', items: null })).toEqual([]);
  });

  it('continues from an earlier fold without changing it, as an incremental refresh does', () => {
    const first = foldStock([{ type: 'receiving', warehouse: 'A', items: [{ ...item, quantity: 10 }] }]);
    const next = foldStock([{ type: 'sales', warehouse: 'A', items: [{ ...item, quantity: 4 }] }], first);
    const key = stockKey(item.sku, item.control, 'A');
    expect(first.get(key)?.quantity).toBe(10);
    expect(next.get(key)).toEqual({ sku: item.sku, control: item.control, warehouse: 'A', quantity: 6 });
  });
});

describe('HAPIHub lot expiry in the fold', () => {
  const tx = (id: string, createdAt: number, items: FoldableTransaction['items'], type = 'receiving', warehouse = 'A') => ({ id, createdAt, type, warehouse, items: items as never });

  it('gives every level of a lot the expiry the latest transaction states, also to levels moved before it was stated', () => {
    const fold = new StockFold();
    fold.apply(tx('T1', 1, [{ ...item, quantity: 5 }]));
    expect(fold.levelsOf(item.sku).map((l) => l.expiresAt)).toEqual([null]);
    fold.apply(tx('T2', 2, [{ ...item, quantity: 1, expiresAt: 1_900_000_000_000 }], 'receiving', 'B'));
    expect(fold.levelsOf(item.sku).map((l) => [l.warehouse, l.expiresAt])).toEqual([
      ['A', 1_900_000_000_000],
      ['B', 1_900_000_000_000],
    ]);
    fold.apply(tx('T3', 3, [{ ...item, adjustment: -1, expiresAt: 1_950_000_000_000 }], 'adjustment'));
    expect(fold.levelsOf(item.sku).map((l) => l.expiresAt)).toEqual([1_950_000_000_000, 1_950_000_000_000]);
  });

  it('keeps untracked stock and other lots without an expiry', () => {
    const fold = new StockFold();
    fold.apply(tx('T1', 1, [{ sku: item.sku, quantity: 2, expiresAt: 1_900_000_000_000 }, { sku: item.sku, control: 'LOT-2', quantity: 1 }, { ...item, quantity: 1, expiresAt: 1_900_000_000_000 }]));
    expect(fold.levelsOf(item.sku).map((l) => [l.control, l.expiresAt])).toEqual([
      [null, null],
      ['LOT-2', null],
      ['LOT-1', 1_900_000_000_000],
    ]);
  });
});

describe('HAPIHub query string parsing (qs rules, as Feathers)', () => {
  it('nests brackets, builds arrays from [] and indexes, and keeps dotted fields whole', () => {
    expect(parseQueryString('createdAt[$gt]=5&items.sku=A%20B&type[$in][]=sales&$or[1][type]=b&$or[0][type]=a&$sort[createdAt]=-1&x=1&x=2')).toEqual({
      createdAt: { $gt: '5' },
      'items.sku': 'A B',
      type: { $in: ['sales'] },
      $or: [{ type: 'a' }, { type: 'b' }],
      $sort: { createdAt: '-1' },
      x: ['1', '2'],
    });
  });

  it('refuses a key given both as a value and as an object, and nesting deeper than five levels', () => {
    expect(() => parseQueryString('a=1&a[b]=2')).toThrow(HapihubError);
    expect(() => parseQueryString('a[b]=2&a=1')).toThrow(HapihubError);
    expect(() => parseQueryString('a[b][c][d][e][f][g]=1')).toThrow(HapihubError);
  });

  it('keeps __proto__ an ordinary key', () => {
    const parsed = parseQueryString('__proto__[polluted]=1');
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__']);
  });
});

describe('HAPIHub projection', () => {
  it('gives the same transactions for the same seed and different ones for another seed', () => {
    const a = new HapihubStore(generateWorld({ seed: 3, scale: 0.2 })).all();
    const b = new HapihubStore(generateWorld({ seed: 3, scale: 0.2 })).all();
    const c = new HapihubStore(generateWorld({ seed: 4, scale: 0.2 })).all();
    expect(b).toEqual(a);
    expect(c.map((t) => t.id)).not.toEqual(a.map((t) => t.id));
  });

  it('lists transactions in creation order with unique ObjectIds', () => {
    const records = new HapihubStore(generateWorld({ scale: 1 })).all();
    expect(new Set(records.map((t) => t.id)).size).toBe(records.length);
    for (let i = 1; i < records.length; i++) expect((records[i]?.createdAt ?? 0) >= (records[i - 1]?.createdAt ?? 0)).toBe(true);
  });
});
