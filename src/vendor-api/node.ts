import type { GatewayContext } from '../server/context.js';
import { at, executeOperation } from './execute.js';
import { fromVendorGlobalId } from './global-id.js';
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
