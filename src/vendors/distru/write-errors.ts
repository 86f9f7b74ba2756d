import type { GraphQLError } from 'graphql';
import { vendorError, type ErrorCode } from '../../errors.js';
import { formatInputPath, type InputPath } from '../../mutations/field-path.js';
import type { DistruErrorEntry } from './schemas.js';

/**
 * Distru's refusals → opsgraph errors. Distru answers every refusal with 400 and a list of
 * `{message, pointer}` (seed 002); the class of the first problem decides the code, the pointer of
 * each is mapped to the GraphQL input (`["items", 2, "order_item_id"]` → `input.items[2].orderItemId`).
 */

/** Where a Distru pointer came from in the GraphQL input, or null when it names nothing we sent. */
export type PathOf = (pointer: readonly (string | number)[], error: DistruErrorEntry) => InputPath | null;

/**
 * The code of one refusal. Distru answers everything with 400, so the class comes from its message
 * and pointer: another company's record is FORBIDDEN, a state that forbids the change a CONFLICT, a
 * missing record NOT_FOUND only when it is the one written or the order it belongs to — an input
 * that names a record which does not exist (an order item, a product, a customer) is a wrong input:
 * VALIDATION_FAILED on that field, as the example (`items[2].order_item_id`) has it.
 */
export function codeOf(error: DistruErrorEntry): ErrorCode {
  if (/beyond Pending|Cannot delete|already invoiced|Cannot move/i.test(error.message)) return 'CONFLICT';
  if (/does not belong to your company/i.test(error.message)) return 'FORBIDDEN';
  const head = error.pointer?.[0];
  if (/not found|does not exist/i.test(error.message) && (head === 'id' || head === 'order_id')) return 'NOT_FOUND';
  return 'VALIDATION_FAILED';
}

export function refusalError(route: string, errors: readonly DistruErrorEntry[], pathOf: PathOf): GraphQLError {
  const fields = errors.map((e) => {
    const path = e.pointer && e.pointer.length > 0 ? pathOf(e.pointer, e) : null;
    return { path, field: path ? formatInputPath(path) : null, message: e.message };
  });
  const first = fields[0];
  const text = fields.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message)).join('; ');
  return vendorError('distru', errors[0] ? codeOf(errors[0]) : 'VALIDATION_FAILED', `${route}: ${text}`, {
    ...(first?.path ? { inputPath: first.path } : {}),
    fields: fields.map(({ field, message }) => ({ field, message })),
  });
}

/** Maps `[field]` and `[list, index, field]` pointers through name tables (Distru snake_case → input camelCase). */
export function tablePath(top: Readonly<Record<string, string>>, lines: Readonly<Record<string, (index: number, field: string | undefined, error: DistruErrorEntry) => InputPath | null>>): PathOf {
  return (pointer, error) => {
    const [head, index, field] = pointer;
    if (typeof head !== 'string') return null;
    const line = lines[head];
    if (line && typeof index === 'number') return line(index, typeof field === 'string' ? field : undefined, error);
    const name = top[head];
    return name === undefined ? null : [name];
  };
}

/** A line pointer mapped through a field table; an unknown field points at the line itself. */
export function linePath(list: string, fields: Readonly<Record<string, string>>, index: number, field: string | undefined): InputPath {
  const name = field === undefined ? undefined : fields[field];
  return name === undefined ? [list, index] : [list, index, name];
}

export const CHARGE_FIELDS: Readonly<Record<string, string>> = { id: 'vendorId', name: 'name', type: 'type', unit_type: 'unitType', percent: 'percent', price: 'price' };
