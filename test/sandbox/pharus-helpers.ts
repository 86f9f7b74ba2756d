import { expect } from 'vitest';
import { z } from 'zod';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import type { PharusStore } from '../../sandbox/pharus/index.js';

/**
 * A small Pharus client for the sandbox tests. Every body is parsed with a strict schema of the
 * shape the sandbox promises (docs/vendors/pharus.md), so each test also pins the wire format.
 */
export const AUTH = { authorization: 'Bearer dev-pharus-token', 'x-org-id': 'dev-org' };
export const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

const nullableString = z.string().nullable();
const iso = z.iso.datetime();
const money = z.string().regex(/^-?\d+\.\d{2}$/);
const quantity = z.string().regex(/^-?\d+\.\d{4}$/);

export const errorSchema = z.strictObject({
  error: z.strictObject({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export const issuesSchema = z.strictObject({ issues: z.array(z.strictObject({ location: z.enum(['body', 'query', 'path']), path: z.string(), message: z.string() })) });
export const referenceDetails = z.strictObject({ field: z.string(), id: z.string() });

export const lookupSchema = z.strictObject({ id: z.uuid(), orgId: z.string(), name: z.string(), sortOrder: z.number().int(), isActive: z.boolean(), createdAt: iso });
export const locationSchema = z.strictObject({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  sortOrder: z.number().int(),
  address: nullableString,
  city: nullableString,
  state: nullableString,
  country: nullableString,
  zipCode: nullableString,
  notes: nullableString,
  isActive: z.boolean(),
  createdAt: iso,
  updatedAt: iso,
});
export const skuSchema = z.strictObject({
  id: z.string(),
  orgId: z.string(),
  skuCode: z.string(),
  name: z.string(),
  skuTypeId: z.string(),
  itemsPerUnit: z.number().int(),
  ozPerItem: quantity.nullable(),
  qboId: nullableString,
  notes: nullableString,
  isActive: z.boolean(),
  createdAt: iso,
  updatedAt: iso,
});
export const materialSchema = z.strictObject({
  id: z.string(),
  orgId: z.string(),
  materialCode: z.string(),
  name: z.string(),
  materialTypeId: z.string(),
  notes: nullableString,
  isActive: z.boolean(),
  createdAt: iso,
  updatedAt: iso,
});
export const customerSchema = z.strictObject({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  customerTypeId: z.string(),
  customerSegmentId: nullableString,
  brokerId: nullableString,
  brokerFeePercent: money.nullable(),
  address: nullableString,
  city: nullableString,
  state: nullableString,
  country: nullableString,
  zipCode: nullableString,
  parentCustomerId: nullableString,
  qboId: nullableString,
  notes: nullableString,
  isActive: z.boolean(),
  createdAt: iso,
  updatedAt: iso,
});
const stamp = iso.nullable();
export const salesOrderSchema = z.strictObject({
  id: z.string(),
  orgId: z.string(),
  customerId: z.string(),
  soNumber: z.string(),
  orderChannelId: z.string(),
  orderStatus: z.enum(['Received', 'Entered', 'Shipped', 'Invoiced', 'Paid', 'Rejected', 'In-Dispute', 'Completed']),
  fulfillmentStatus: z.enum(['Pending', 'Partial', 'Fulfilled']),
  fulfillmentLocationId: nullableString,
  brokerId: nullableString,
  brokerFeePercent: money.nullable(),
  brokerFees: money,
  fulfillmentCosts: money,
  freightCosts: money,
  promoCosts: money,
  otherCosts: money,
  mabd: z.iso.date(),
  placedAt: iso,
  receivedAt: stamp,
  enteredAt: stamp,
  shippedAt: stamp,
  invoicedAt: stamp,
  paidAt: stamp,
  rejectedAt: stamp,
  inDisputeAt: stamp,
  completedAt: stamp,
  notes: nullableString,
  qboId: nullableString,
  createdAt: iso,
  updatedAt: iso,
});
export const salesOrderItemSchema = z.strictObject({ id: z.string(), orgId: z.string(), salesOrderId: z.string(), skuId: z.string(), quantity: z.number().int(), unitPrice: money });
export const salesOrderDetailSchema = z.strictObject({ salesOrder: salesOrderSchema, items: z.array(salesOrderItemSchema) });
export const timelineNoteSchema = z.strictObject({ id: z.string(), orgId: z.string(), salesOrderId: z.string(), orderStatus: z.string(), note: z.string(), createdAt: iso });

const ledgerFields = {
  id: z.string(),
  orgId: z.string(),
  code: nullableString,
  locationId: z.string(),
  eventType: z.string(),
  quantity,
  unitCost: money.nullable(),
  ref: nullableString,
  toLocationId: nullableString,
  notes: nullableString,
  eventDate: iso,
  sourceType: nullableString,
  sourceId: nullableString,
  createdAt: iso,
};
export const fgLedgerSchema = z.strictObject({ ...ledgerFields, skuId: z.string() });
export const materialLedgerSchema = z.strictObject({ ...ledgerFields, materialId: z.string() });
/** E108: exactly `{ skuId, locationId, onHand, demand, allocated, available }`. */
export const fgSummarySchema = z.strictObject({ skuId: z.string(), locationId: z.string(), onHand: quantity, demand: quantity, allocated: quantity, available: quantity });
/** E101: exactly `{ materialId, locationId, onHand, onOrder }`. */
export const materialSummarySchema = z.strictObject({ materialId: z.string(), locationId: z.string(), onHand: quantity, onOrder: quantity });

export const deletedSchema = z.strictObject({ deletedId: z.string() });
export const importSchema = z.strictObject({
  ids: z.array(z.string()),
  results: z.array(
    z.union([
      z.strictObject({ index: z.number().int(), status: z.literal('created'), id: z.string() }),
      z.strictObject({ index: z.number().int(), status: z.literal('failed'), error: errorSchema.shape.error }),
    ]),
  ),
});

export const listOf = <S extends z.ZodType>(row: S) => z.strictObject({ data: z.array(row) });
export const pageOf = <S extends z.ZodType>(row: S) => z.strictObject({ data: z.array(row), nextCursor: z.string().nullable() });

export interface RawReply {
  status: number;
  body: unknown;
}

export class PharusTestClient {
  constructor(private readonly sandbox: () => SandboxHandle<PharusStore>) {}

  async raw(method: string, path: string, body?: unknown, headers: Record<string, string> = AUTH): Promise<RawReply> {
    const init: RequestInit = { method, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(`${this.sandbox().url}/api${path}`, init);
    return { status: response.status, body: await response.json() };
  }

  /** A successful call with the expected status, its body parsed by `schema`. */
  async ok<S extends z.ZodType>(schema: S, method: string, path: string, body?: unknown, status = 200): Promise<z.output<S>> {
    const r = await this.raw(method, path, body);
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return schema.parse(r.body);
  }

  get = <S extends z.ZodType>(schema: S, path: string) => this.ok(schema, 'GET', path);

  /** A failing call with the expected status, its Pharus error body parsed. */
  async fails(status: number, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<z.output<typeof errorSchema>['error']> {
    const r = await this.raw(method, path, body, headers);
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return errorSchema.parse(r.body).error;
  }

  /** Reads a cursor list to its end, checking each page's size and that no row comes twice. */
  async readAll<S extends z.ZodType>(row: S, path: string, limit: number, keyOf: (r: z.output<S>) => string): Promise<z.output<S>[]> {
    const rows: z.output<S>[] = [];
    const seen = new Set<string>();
    let cursor: string | null = null;
    for (let pages = 0; pages < 10_000; pages++) {
      const sep = path.includes('?') ? '&' : '?';
      const page: { data: z.output<S>[]; nextCursor: string | null } = await this.get(pageOf(row), `${path}${sep}limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
      expect(page.data.length).toBeLessThanOrEqual(limit);
      for (const r of page.data) {
        const key = keyOf(r);
        expect(seen.has(key), `duplicate ${key}`).toBe(false);
        seen.add(key);
        rows.push(r);
      }
      cursor = page.nextCursor;
      if (cursor === null) return rows;
      expect(page.data.length).toBe(limit);
    }
    throw new Error('paging did not end');
  }
}

/** The first element, failing the test (not crashing on undefined) when there is none. */
export function first<T>(items: readonly T[]): T {
  const item = items[0];
  if (item === undefined) throw new Error('expected at least one item');
  return item;
}
