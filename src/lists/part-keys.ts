import { queryRows } from '../sync/record-store.js';
import type { ListContext } from './list-spec.js';

/**
 * The ISOlocity part ids whose identification is this SKU code (canonical or any vendor's spelling,
 * through the crosswalk): inspections and NCRs name their part by id (`parent_key`), so a SKU filter
 * on them is a filter on these parents. Identifications are unique in practice; a few are allowed.
 */
export async function partKeysOfCode(ctx: ListContext, code: string): Promise<string[]> {
  const identification = ctx.crosswalk.toVendor('ISOLOCITY', ctx.crosswalk.canonicalOfAny(code));
  const found = await queryRows(ctx.db, { relation: 'parts', vendors: ['ISOLOCITY'], number: identification, orderBy: 'number', direction: 'asc', first: 50 });
  return found.rows.map((row) => row.key);
}
