import { describe, expect, it } from 'vitest';
import { errorCode, vendorError } from '../../src/errors.js';
import { CHARGE_FIELDS, codeOf, linePath, refusalError, tablePath } from '../../src/vendors/distru/write-errors.js';
import { forbiddenOnWrite } from '../../src/mutations/forbidden.js';

// Distru answers every refused write with 400 and `{errors:[{message, pointer}]}` (seed 002): the
// code and the GraphQL field of each problem come from this mapping alone.

const pathOf = tablePath({ order_id: 'orderId' }, { items: (i, f) => linePath('items', { order_item_id: 'orderItemId', quantity: 'quantity' }, i, f), charges: (i, f) => linePath('charges', CHARGE_FIELDS, i, f) });

describe('Distru refusals', () => {
  it('classes each recorded message', () => {
    expect(codeOf({ message: "Cannot change this PO through the Distru API because it's beyond Pending status", pointer: ['status'] })).toBe('CONFLICT');
    expect(codeOf({ message: 'This record does not belong to your company.', pointer: ['items', 0, 'product_id'] })).toBe('FORBIDDEN');
    expect(codeOf({ message: 'Order not found', pointer: ['order_id'] })).toBe('NOT_FOUND');
    expect(codeOf({ message: 'Order item not found', pointer: ['items', 2, 'order_item_id'] })).toBe('VALIDATION_FAILED');
    expect(codeOf({ message: 'Only 10 left uninvoiced', pointer: ['items', 3, 'quantity'] })).toBe('VALIDATION_FAILED');
  });

  it('maps every pointer of the recorded invoice error into the input, the first one as inputPath', () => {
    const error = refusalError('POST /public/v1/invoices', [
      { message: 'Must be less than or equal to 100', pointer: ['charges', 0, 'percent'], section: 'body' },
      { message: 'Order item not found', pointer: ['items', 2, 'order_item_id'], section: 'body' },
      { message: 'Only 10 left uninvoiced', pointer: ['items', 3, 'quantity'], section: 'body' },
    ], pathOf);
    expect(error.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      vendor: 'distru',
      inputPath: ['charges', 0, 'percent'],
      fields: [
        { field: 'input.charges[0].percent', message: 'Must be less than or equal to 100' },
        { field: 'input.items[2].orderItemId', message: 'Order item not found' },
        { field: 'input.items[3].quantity', message: 'Only 10 left uninvoiced' },
      ],
    });
  });

  it('keeps a pointer it cannot map out of the field, but not out of the message', () => {
    const error = refusalError('POST /public/v1/orders', [{ message: 'Something new', pointer: ['colour'], section: 'body' }], pathOf);
    expect(error.extensions.inputPath).toBeUndefined();
    expect(error.message).toContain('Something new');
  });

  it('turns a 403 on a write into FORBIDDEN and leaves other errors alone', () => {
    const forbidden = forbiddenOnWrite('distru', 'POST /public/v1/orders', vendorError('distru', 'VENDOR_AUTH_FAILED', 'refused', { upstreamStatus: 403 }));
    expect(errorCode(forbidden)).toBe('FORBIDDEN');
    const unauthorized = vendorError('distru', 'VENDOR_AUTH_FAILED', 'refused', { upstreamStatus: 401 });
    expect(forbiddenOnWrite('distru', 'POST /public/v1/orders', unauthorized)).toBe(unauthorized);
  });
});
