import { opsError, quoteInput } from '../errors.js';
import { fromGlobalId, type GlobalId, type NodeType } from '../model/global-id.js';
import { idShapeProblem } from '../vendors/id-shapes.js';

/**
 * The global id of the expected type, or a BAD_USER_INPUT error naming the argument: a malformed id
 * and an id of another type ("an Invoice id passed to order(id:)") are the client's mistakes.
 */
export function expectId(id: string, type: NodeType, field = 'id'): GlobalId {
  const parsed = fromGlobalId(id);
  if (!parsed) throw opsError(`${field}: ${quoteInput(id)} is not an opsgraph id`, { code: 'BAD_USER_INPUT', field });
  if (parsed.type !== type) throw opsError(`${field}: ${quoteInput(id)} is the id of a ${parsed.type}, not of a ${type}`, { code: 'BAD_USER_INPUT', field });
  return expectVendorKey(parsed, id, field);
}

/** A vendor key of the wrong shape (a Distru id that is no UUID) is the client's mistake: refused before any vendor call. */
export function expectVendorKey(parsed: GlobalId, id: string, field = 'id'): GlobalId {
  const problem = parsed.vendor === null ? null : idShapeProblem(parsed.vendor, parsed.key);
  if (problem) throw opsError(`${field}: ${quoteInput(id)} ${problem}`, { code: 'BAD_USER_INPUT', field });
  return parsed;
}

export function notFound(type: NodeType, id: string): never {
  throw opsError(`${type} ${id} was not found`, { code: 'NOT_FOUND' });
}
