import { toGlobalId } from '../../src/model/global-id.js';

/**
 * One well-formed input per mutation (it passes every rule opsgraph checks itself; its ids name
 * records that may not exist), so that each corpus case changes one field and proves one rule.
 */
export interface MutationShape {
  name: string;
  inputType: string;
  selection: string;
  vendor: 'isolocity' | 'pharus' | 'distru' | 'hapihub';
  base: Record<string, unknown>;
  /** Fields that are ids going into a vendor path (or naming its record): `.` and `..` must be refused. */
  pathIds: { field: string; value: (raw: string) => unknown }[];
  /** Decimal-typed fields, as a path into the input. */
  decimals: (string | number)[][];
  /** Lists that must not be empty. */
  nonEmpty: string[];
}

const UUID_A = '3f1c2b9e-8a7d-4c6b-9e5f-1a2b3c4d5e6f';
const UUID_B = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const OBJECT_ID = '63b0cd000670f21551ff4d07';
const OBJECT_ID_2 = '63b0cd000670f21551ff4d08';

export const MUTATIONS: MutationShape[] = [
  {
    name: 'createNcr',
    inputType: 'CreateNcrInput',
    selection: 'ncr { id }',
    vendor: 'isolocity',
    base: { idempotencyKey: 'k-1', number: 'NCR-1', source: 'INTERNAL', skuCode: 'OG-00001', lotNumber: 'LOT-1', quantity: 2, description: 'Seal failure', immediateAction: 'Quarantine' },
    pathIds: [],
    decimals: [],
    nonEmpty: [],
  },
  {
    name: 'updateNcr',
    inputType: 'UpdateNcrInput',
    selection: 'ncr { id }',
    vendor: 'isolocity',
    base: { id: toGlobalId('Ncr', 'ISOLOCITY', '12'), description: 'Updated', esignatureReason: 'fix' },
    pathIds: [{ field: 'id', value: (raw) => toGlobalId('Ncr', 'ISOLOCITY', raw) }],
    decimals: [],
    nonEmpty: [],
  },
  {
    name: 'createInspection',
    inputType: 'CreateInspectionInput',
    selection: 'inspection { id }',
    vendor: 'isolocity',
    base: { skuCode: 'OG-00001', drawingId: '3', sampleSize: 2, lotNumber: 'LOT-1' },
    pathIds: [],
    decimals: [],
    nonEmpty: [],
  },
  {
    name: 'recordInspectionResult',
    inputType: 'RecordInspectionResultInput',
    selection: 'inspection { id }',
    vendor: 'isolocity',
    base: { id: toGlobalId('Inspection', 'ISOLOCITY', '7'), result: 'PASSED', idempotencyKey: 'k-2' },
    pathIds: [{ field: 'id', value: (raw) => toGlobalId('Inspection', 'ISOLOCITY', raw) }],
    decimals: [],
    nonEmpty: [],
  },
  {
    name: 'addInspectionSample',
    inputType: 'AddInspectionSampleInput',
    selection: 'inspectionId',
    vendor: 'isolocity',
    base: { inspectionId: toGlobalId('Inspection', 'ISOLOCITY', '7'), sampleSerial: 'S-1', results: [{ characteristicId: '4', value: '1.25', passed: true }] },
    pathIds: [{ field: 'inspectionId', value: (raw) => toGlobalId('Inspection', 'ISOLOCITY', raw) }],
    decimals: [],
    nonEmpty: [],
  },
  {
    name: 'updateInspectionSample',
    inputType: 'UpdateInspectionSampleInput',
    selection: 'inspectionId',
    vendor: 'isolocity',
    base: { inspectionId: toGlobalId('Inspection', 'ISOLOCITY', '7'), sampleId: '5', sampleSerial: 'S-2' },
    pathIds: [
      { field: 'inspectionId', value: (raw) => toGlobalId('Inspection', 'ISOLOCITY', raw) },
      { field: 'sampleId', value: (raw) => raw },
    ],
    decimals: [],
    nonEmpty: [],
  },
  {
    name: 'deleteInspectionSample',
    inputType: 'DeleteInspectionSampleInput',
    selection: 'deletedSampleId',
    vendor: 'isolocity',
    base: { inspectionId: toGlobalId('Inspection', 'ISOLOCITY', '7'), sampleId: '5', idempotencyKey: 'k-3' },
    pathIds: [
      { field: 'inspectionId', value: (raw) => toGlobalId('Inspection', 'ISOLOCITY', raw) },
      { field: 'sampleId', value: (raw) => raw },
    ],
    decimals: [],
    nonEmpty: [],
  },
  {
    name: 'createPharusSalesOrder',
    inputType: 'CreatePharusSalesOrderInput',
    selection: 'order { id }',
    vendor: 'pharus',
    base: { customerId: UUID_A, channel: 'Direct', mabd: '2026-07-01', items: [{ skuCode: 'OG-00001', quantity: 2, unitPrice: '12.5' }], notes: 'rush', brokerFees: '1.25' },
    pathIds: [],
    decimals: [['items', 0, 'unitPrice'], ['brokerFees']],
    nonEmpty: ['items'],
  },
  {
    name: 'addPharusSalesOrderItem',
    inputType: 'AddPharusSalesOrderItemInput',
    selection: 'order { id }',
    vendor: 'pharus',
    base: { orderId: toGlobalId('Order', 'PHARUS', UUID_A), skuCode: 'OG-00001', quantity: 1, unitPrice: '3' },
    pathIds: [{ field: 'orderId', value: (raw) => toGlobalId('Order', 'PHARUS', raw) }],
    decimals: [['unitPrice']],
    nonEmpty: [],
  },
  {
    name: 'updatePharusSalesOrder',
    inputType: 'UpdatePharusSalesOrderInput',
    selection: 'order { id }',
    vendor: 'pharus',
    base: { id: toGlobalId('Order', 'PHARUS', UUID_A), notes: 'call first', freightCosts: '10' },
    pathIds: [{ field: 'id', value: (raw) => toGlobalId('Order', 'PHARUS', raw) }],
    decimals: [['freightCosts']],
    nonEmpty: [],
  },
  {
    name: 'transferInventory',
    inputType: 'TransferInventoryInput',
    selection: 'transfer { ref }',
    vendor: 'pharus',
    base: { skuCode: 'OG-00001', sourceLocationId: UUID_A, destinationLocationId: UUID_B, quantity: '4', notes: 'move' },
    pathIds: [{ field: 'sourceLocationId', value: (raw) => raw }],
    decimals: [['quantity']],
    nonEmpty: [],
  },
  {
    name: 'completeInventoryTransfer',
    inputType: 'CompleteInventoryTransferInput',
    selection: 'transfer { ref }',
    vendor: 'pharus',
    base: { ref: 'FGT-000001', notes: 'arrived' },
    pathIds: [{ field: 'ref', value: (raw) => raw }],
    decimals: [],
    nonEmpty: [],
  },
  {
    name: 'upsertDistruOrder',
    inputType: 'UpsertDistruOrderInput',
    selection: 'order { id }',
    vendor: 'distru',
    base: { companyId: UUID_A, externalNotes: 'n', items: [{ skuCode: 'OG-00001', quantity: '2', unitPrice: '10.5' }] },
    pathIds: [{ field: 'id', value: (raw) => toGlobalId('Order', 'DISTRU', raw) }],
    decimals: [['items', 0, 'quantity'], ['items', 0, 'unitPrice']],
    nonEmpty: ['items'],
  },
  {
    name: 'upsertDistruInvoice',
    inputType: 'UpsertDistruInvoiceInput',
    selection: 'invoice { id }',
    vendor: 'distru',
    base: { orderId: toGlobalId('Order', 'DISTRU', UUID_A), items: [{ orderItemId: UUID_B, quantity: '1' }] },
    pathIds: [{ field: 'id', value: (raw) => toGlobalId('Invoice', 'DISTRU', raw) }],
    decimals: [['items', 0, 'quantity']],
    nonEmpty: ['items'],
  },
  {
    name: 'upsertDistruPurchase',
    inputType: 'UpsertDistruPurchaseInput',
    selection: 'purchase { vendorId }',
    vendor: 'distru',
    base: { supplierId: UUID_A, description: 'restock', items: [{ skuCode: 'OG-00001', quantity: '5', unitPrice: '2' }] },
    pathIds: [{ field: 'vendorId', value: (raw) => raw }],
    decimals: [['items', 0, 'quantity'], ['items', 0, 'unitPrice']],
    nonEmpty: ['items'],
  },
  {
    name: 'createInventoryTransaction',
    inputType: 'CreateInventoryTransactionInput',
    selection: 'transaction { __typename }',
    vendor: 'hapihub',
    base: { type: 'SALES', warehouseId: OBJECT_ID, items: [{ skuCode: 'OG-00001', quantity: '1', note: 'n' }], reason: 'sale', invoice: 'INV-1' },
    pathIds: [{ field: 'warehouseId', value: (raw) => raw }],
    decimals: [['items', 0, 'quantity']],
    nonEmpty: ['items'],
  },
  {
    name: 'updateInventoryTransaction',
    inputType: 'UpdateInventoryTransactionInput',
    selection: 'transaction { __typename }',
    vendor: 'hapihub',
    base: { vendorId: OBJECT_ID_2, reason: 'corrected' },
    pathIds: [{ field: 'vendorId', value: (raw) => raw }],
    decimals: [],
    nonEmpty: ['items'],
  },
  {
    name: 'adjustInventory',
    inputType: 'AdjustInventoryInput',
    selection: 'vendor',
    vendor: 'hapihub',
    base: { vendor: 'HAPIHUB', skuCode: 'OG-00001', locationId: OBJECT_ID, quantity: '-2', reason: 'damaged' },
    pathIds: [{ field: 'locationId', value: (raw) => raw }],
    decimals: [['quantity']],
    nonEmpty: [],
  },
];

/** The string fields of an input (top level and in its first list items), as paths. */
export function stringPaths(input: Record<string, unknown>, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  for (const [key, value] of Object.entries(input)) {
    if (typeof value === 'string' && !/^-?\d+(\.\d+)?$/.test(value) && !['source', 'result', 'type', 'vendor'].includes(key)) out.push([...prefix, key]);
    if (Array.isArray(value) && value[0] && typeof value[0] === 'object') out.push(...stringPaths(value[0] as Record<string, unknown>, [...prefix, key, 0]));
  }
  return out;
}

/** A copy of `input` with the value at `path` replaced (or removed when `value` is undefined). */
export function withValue(input: Record<string, unknown>, path: (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(input) as Record<string, unknown>;
  let target: Record<string | number, unknown> = copy;
  for (const step of path.slice(0, -1)) target = target[step] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}
