import { describe, expect, it } from 'vitest';
import { shapeDifferences, shapeOf } from './fixtures/distru/shape.js';

/** The contract tests are only as strict as this comparison: it must see each kind of drift. */
describe('Distru contract shape comparison', () => {
  const recorded = shapeOf({ id: 'a', total: '1.00', owner: null, batch: { id: 'b' }, items: [{ q: '1' }, { q: '2', extra: 1 }] });

  it('accepts the same keys and types, whatever the values', () => {
    expect(shapeDifferences(recorded, shapeOf({ id: 'z', total: '9.99', owner: { any: 'thing' }, batch: { id: 'c' }, items: [{ q: '3' }] }))).toEqual([]);
  });

  it('reports a missing key, an extra key and a changed type', () => {
    expect(shapeDifferences(recorded, shapeOf({ id: 1, owner: null, batch: { id: 'b' }, items: [], colour: 'red' }))).toEqual(['$.id: number where the recording has string', '$.total: missing', '$.colour: not in the recording']);
  });

  it('reports null where the recording never shows null, but not where it does', () => {
    expect(shapeDifferences(recorded, shapeOf({ id: 'a', total: '1', owner: null, batch: null, items: [] }))).toEqual(['$.batch: null where the recording has object']);
    const nullable = shapeOf([{ batch: null }, { batch: { id: 'x' } }]);
    expect(shapeDifferences(nullable, shapeOf([{ batch: null }]))).toEqual([]);
  });

  it('compares array elements, where a key seen in only some recorded elements is optional', () => {
    expect(shapeDifferences(recorded, shapeOf({ id: 'a', total: '1', owner: null, batch: { id: 'b' }, items: [{ q: 1 }, { extra: 2 }] }))).toEqual([
      '$.items[].q: missing in some objects',
      '$.items[].q: number where the recording has string',
    ]);
  });
});
