import type { VendorName } from '../errors.js';
import type { GatewayContext } from '../server/context.js';
import { mapLimit } from '../vendors/map-limit.js';
import { at, executeOperation } from './execute.js';
import { fromVendorGlobalId, toVendorGlobalId } from './global-id.js';
import { vendorApis } from './registry.js';

/**
 * `Query.node` for generated vendor types: the id names the type and vendor, the type's `get` read
 * fetches the record. Undefined when the id is not a generated type's; null when the vendor has no
 * such record. The record is tagged with `__typename` so that `Node` can resolve its type.
 */
export async function loadVendorNode(id: string, ctx: GatewayContext): Promise<Record<string, unknown> | null | undefined> {
  const parsed = fromVendorGlobalId(id);
  if (!parsed) return undefined;
  const api = vendorApis.find((a) => a.vendor === parsed.vendor);
  const node = api?.nodes.find((n) => n.type === parsed.type);
  const op = node && api?.operations.find((o) => o.operationId === node.operationId);
  if (!node || !op) return undefined;
  const body = await executeOperation(op, { [node.idArg]: parsed.key }, ctx);
  const record = at(at(body, op.resultPath), node.extract);
  return record && typeof record === 'object' ? { ...(record as Record<string, unknown>), __typename: node.type } : null;
}

/** Reads of one batch of generated records at a time (ISOlocity and Pharus fetch one record per call). */
const RECORD_READS_AT_ONCE = 4;

/**
 * A generated vendor record by its type and vendor id, read once per request through the request's
 * loaders (so twenty inspections of one specification cost one call), on the vendor's `get` read
 * and the shared HTTP layer (budget, retries, breaker, trace). Null when the vendor has no such record.
 */
export async function vendorRecord<T = Record<string, unknown>>(type: string, vendor: VendorName, key: string, ctx: GatewayContext): Promise<T | null> {
  const found = await ctx.loaders.vendorRecord(toVendorGlobalId(type, vendor, key), (ids) =>
    mapLimit(ids, RECORD_READS_AT_ONCE, (id) => loadVendorNode(id, ctx).then((r) => r ?? null, (error: unknown) => (error instanceof Error ? error : new Error(String(error))))),
  );
  // Generated records are the vendor's JSON as the generated type describes it (parsed by the operation's response schema).
  return (found as T | null | undefined) ?? null;
}
