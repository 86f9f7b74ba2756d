import type { GraphQLFieldResolver } from 'graphql';
import type { LotRef, NcrRecord } from '../model/records.js';
import type { SkuRef } from '../model/sku.js';
import type { GatewayContext } from '../server/context.js';
import { vendorRecord } from './node.js';

type Resolver = GraphQLFieldResolver<Record<string, unknown>, GatewayContext>;

/** A vendor id as text: ids arrive as strings or numbers; anything else is no id. */
const idOf = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null);
/** A lot number: non-empty text. */
const lotOf = (...values: unknown[]): LotRef | null => {
  const number = values.find((v): v is string => typeof v === 'string' && v.trim() !== '');
  return number === undefined ? null : { number };
};

/** The unified record of a generated ISOlocity one, by the id field named (through the request's loaders). */
const part = (field: string): Resolver => (record, _args, ctx) => {
  const id = idOf(record[field]);
  return id === null ? null : ctx.loaders.part(id);
};
const inspection: Resolver = (record, _args, ctx) => (idOf(record.id) === null ? null : ctx.loaders.inspection(idOf(record.id)!));
const ncr: Resolver = (record, _args, ctx) => (idOf(record.id) === null ? null : ctx.loaders.ncr(idOf(record.id)!));
const order = (field: string): Resolver => (record, _args, ctx) => {
  const id = idOf(record[field]);
  return id === null ? null : ctx.loaders.order('ISOLOCITY', id);
};

/** The SKU of an ISOlocity part named by `part_id`: its identification, through the crosswalk. */
const skuOfPart: Resolver = async (record, _args, ctx): Promise<SkuRef | null> => {
  const id = idOf(record.part_id);
  const found = id === null ? null : await ctx.loaders.part(id);
  return found ? { code: ctx.crosswalk.toCanonical('ISOLOCITY', found.identification), knownName: found.name } : null;
};

/** The SKU of a Pharus line named by `skuId` ("Get SKU", once per request per SKU); material lines name none. */
const skuOfPharusSku: Resolver = async (record, _args, ctx): Promise<SkuRef | null> => {
  const id = idOf(record.skuId);
  const sku = id === null ? null : await vendorRecord<{ skuCode?: unknown; name?: unknown }>('PharusSku', 'pharus', id, ctx);
  return typeof sku?.skuCode === 'string' ? { code: ctx.crosswalk.toCanonical('PHARUS', sku.skuCode), knownName: typeof sku.name === 'string' ? sku.name : null } : null;
};

/** A complaint's NCRs: those raised on its lot, and of its part when both name one (a lot number alone may recur across parts). */
const complaintNcrs: Resolver = async (record, _args, ctx): Promise<NcrRecord[] | null> => {
  const lot = lotOf(record.batch_number);
  if (lot === null) return [];
  const partId = idOf(record.part_id);
  return (await ctx.loaders.ncrsOfLot(lot.number)).filter((n) => partId === null || n.partVendorId === null || n.partVendorId === partId);
};

/** A CAR's NCRs: those raised on its lot (a CAR names no NCR or part: docs/vendors/isolocity.md "CARs"). */
const carNcrs: Resolver = async (record, _args, ctx): Promise<NcrRecord[]> => {
  const lot = lotOf(record.batch_number);
  return lot === null ? [] : ctx.loaders.ncrsOfLot(lot.number);
};

/**
 * Links from generated vendor types to the unified model (schema/vendors/links.graphql): a user who
 * reads a complaint, a receiving inspection item, a purchase-order line or a batch through the vendor
 * namespaces follows it to the `Part`, `Sku`, `Ncr`, `Order` or lot the rest of opsgraph knows, with
 * its stock and quality joins — through the unified model's loaders (batched, budget-counted).
 */
export const vendorApiLinks: Record<string, Record<string, Resolver>> = {
  IsolocityPart: { unified: part('id') },
  IsolocityInspection: { unified: inspection },
  IsolocityNcr: { unified: ncr, part: part('part_id') },
  IsolocityOrder: { unified: order('id') },
  IsolocityShipment: { order: order('order_id') },
  IsolocityComplaint: { part: part('part_id'), lot: (record) => lotOf(record.batch_number), ncrs: complaintNcrs },
  IsolocityCar: { lot: (record) => lotOf(record.batch_number), ncrs: carNcrs },
  IsolocityInventory: { part: part('part_id') },
  IsolocityShipmentItem: { part: part('part_id') },
  IsolocityOrderItem: { part: part('part_id') },
  IsolocityReceivingInspectionItem: { part: part('part_id'), sku: skuOfPart, lot: (record) => lotOf(record.serial_number) },
  PharusPurchaseOrderItem: { sku: skuOfPharusSku },
  // The lot as Distru order lines name it: the batch number, else the batch's name (docs/vendors/distru.md).
  DistruBatch: { lot: (record) => lotOf(record.batch_number, record.name) },
};
