import { describe, expect, it } from 'vitest';
import { matchInvoiceItem, withDeletedOffset } from '../../src/vendors/distru/invoice-item-pointers.js';

// Which request item a Distru invoice item error names (rule and evidence in invoice-item-pointers.ts).

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const sent = [
  { orderItemId: A, quantity: '1' },
  { orderItemId: B, quantity: '2', vendorId: '00000000-0000-4000-8000-0000000000ff' },
];

describe('Distru invoice item pointers', () => {
  it('trusts the item the vendor echoes in context over the index', () => {
    expect(matchInvoiceItem({ message: 'Only 1 left uninvoiced', pointer: ['items', 0, 'quantity'], context: { order_item_id: B } }, sent, true)).toEqual({ kind: 'item', index: 1 });
    expect(matchInvoiceItem({ message: 'Order item not found', pointer: ['items', 7, 'order_item_id'], context: { id: A } }, sent, true)).toEqual({ kind: 'item', index: 0 });
    expect(matchInvoiceItem({ message: 'x', pointer: ['items', 9, 'quantity'], context: { id: '00000000-0000-4000-8000-0000000000ff' } }, sent, true)).toEqual({ kind: 'item', index: 1 });
  });

  it("takes an index that fits the request as the request's own item, on create and on update, with no read", () => {
    expect(matchInvoiceItem({ message: 'Order item not found', pointer: ['items', 1, 'order_item_id'], context: {} }, sent, true)).toEqual({ kind: 'item', index: 1 });
    expect(matchInvoiceItem({ message: 'Only 10 left uninvoiced', pointer: ['items', 0, 'quantity'] }, sent, false)).toEqual({ kind: 'item', index: 0 });
  });

  it('on an update, places an index past the request by the items the update deletes (the recorded example: 2 and 3 of 2 items)', () => {
    const recorded = [
      { message: 'Order item not found', pointer: ['items', 2, 'order_item_id'], context: {} },
      { message: 'Only 10 left uninvoiced', pointer: ['items', 3, 'quantity'], context: {} },
    ];
    const matches = recorded.map((e) => matchInvoiceItem(e, sent, true));
    expect(matches).toEqual([
      { kind: 'needs-offset', pointerIndex: 2 },
      { kind: 'needs-offset', pointerIndex: 3 },
    ]);
    expect(withDeletedOffset(2, 2, sent)).toEqual({ kind: 'item', index: 0 });
    expect(withDeletedOffset(3, 2, sent)).toEqual({ kind: 'item', index: 1 });
  });

  it('guesses nothing when no rule places the item: the error points at the list', () => {
    expect(matchInvoiceItem({ message: 'x', pointer: ['items', 5, 'quantity'] }, sent, false)).toEqual({ kind: 'list' });
    expect(withDeletedOffset(5, 1, sent)).toEqual({ kind: 'list' });
    // An echoed id two request items share is no evidence either.
    const twice = [{ orderItemId: A }, { orderItemId: A }];
    expect(matchInvoiceItem({ message: 'x', pointer: ['items', 4, 'quantity'], context: { order_item_id: A } }, twice, false)).toEqual({ kind: 'list' });
  });
});
