import type { GraphQLFieldResolver } from 'graphql';
import type { GatewayContext } from '../server/context.js';

type Resolver = GraphQLFieldResolver<Record<string, unknown>, GatewayContext>;

/** A vendor id as text: ids arrive as strings or numbers; anything else is no id. */
const idOf = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null);

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

/**
 * Links from generated ISOlocity types to the unified model (schema/vendors/links.graphql): a user
 * who reads a CAR, a complaint or a shipment through `Query.isolocity` follows it to the `Part`,
 * `Ncr` or `Order` the rest of opsgraph knows, with its SKU, stock and quality joins.
 */
export const vendorApiLinks: Record<string, Record<string, Resolver>> = {
  IsolocityPart: { unified: part('id') },
  IsolocityInspection: { unified: inspection },
  IsolocityNcr: { unified: ncr, part: part('part_id') },
  IsolocityOrder: { unified: order('id') },
  IsolocityShipment: { order: order('order_id') },
  IsolocityComplaint: { part: part('part_id') },
  IsolocityInventory: { part: part('part_id') },
  IsolocityShipmentItem: { part: part('part_id') },
  IsolocityOrderItem: { part: part('part_id') },
  IsolocityReceivingInspectionItem: { part: part('part_id') },
};
