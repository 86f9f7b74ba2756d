import type { Vendor } from '../model/records.js';
import { countRows, queryRows, type QueriedRow, type SyncedRelation } from '../sync/record-store.js';
import { connectionOf, decodeCursor, validateFirst, type Connection, type KeysetPosition } from '../server/pagination.js';
import { opsError, quoteInput } from '../errors.js';
import { DIRECTIONS, ORDER_COLUMN, ORDER_FIELDS, type FilterPlan, type ListContext, type ListOrder, type ListSpec, type RowFilter } from './list-spec.js';

/** The arguments every list connection takes. */
export interface ListArgs<F> {
  first?: number | null;
  after?: string | null;
  filter?: F | null;
  orderBy?: { field: string; direction?: string | null } | null;
}

/** A list read, validated: what the store is asked, independent of page position. */
export interface PlannedList<F, N> {
  spec: ListSpec<F, N>;
  order: ListOrder;
  /** The ordering's name in cursors ("TIME:DESC"). */
  ordering: string;
  plan: FilterPlan<N>;
  ctx: ListContext;
}

/** Validates `orderBy` against the list's orderings: BAD_USER_INPUT on `orderBy` otherwise. */
export function orderOf<F, N>(spec: ListSpec<F, N>, orderBy: ListArgs<F>['orderBy'], field = 'orderBy'): ListOrder {
  if (!orderBy) return spec.defaultOrder;
  const direction = orderBy.direction ?? 'ASC';
  if (!ORDER_FIELDS.includes(orderBy.field as ListOrder['field'])) throw opsError(`${field}.field: unknown field ${quoteInput(orderBy.field)}; one of ${spec.orderFields.join(', ')}`, { code: 'BAD_USER_INPUT', field: `${field}.field` });
  if (!spec.orderFields.includes(orderBy.field as ListOrder['field'])) {
    throw opsError(`${field}.field: ${spec.name} cannot be ordered by ${orderBy.field}; by ${spec.orderFields.join(' or ')}`, { code: 'BAD_USER_INPUT', field: `${field}.field` });
  }
  if (!DIRECTIONS.includes(direction as ListOrder['direction'])) throw opsError(`${field}.direction: ASC or DESC, got ${quoteInput(direction)}`, { code: 'BAD_USER_INPUT', field: `${field}.direction` });
  return { field: orderBy.field as ListOrder['field'], direction: direction as ListOrder['direction'] };
}

export async function planList<F, N>(spec: ListSpec<F, N>, args: Pick<ListArgs<F>, 'filter' | 'orderBy'>, ctx: ListContext, fields = { filter: 'filter', orderBy: 'orderBy' }): Promise<PlannedList<F, N>> {
  const order = orderOf(spec, args.orderBy, fields.orderBy);
  const plan = await spec.plan(args.filter, ctx, fields.filter);
  return { spec, order, ordering: `${order.field}:${order.direction}`, plan, ctx };
}

/** The (vendor, relation) pairs a planned list reads: the sync gate and freshness look at them. */
export function relationsOfPlan<F, N>(planned: PlannedList<F, N>): { vendor: Vendor; relation: SyncedRelation }[] {
  if (planned.plan.empty) return [];
  const pairs = new Map<string, { vendor: Vendor; relation: SyncedRelation }>();
  for (const part of planned.plan.parts) {
    const relation = part.relation ?? planned.spec.relation;
    for (const vendor of part.vendors ?? planned.spec.vendors) pairs.set(`${vendor}/${relation}`, { vendor, relation });
  }
  return [...pairs.values()];
}

/** Compares two keyset positions in one direction's order (value, then vendor, then key). */
function compare(a: KeysetPosition, b: KeysetPosition): number {
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  if (a.vendor !== b.vendor) return a.vendor < b.vendor ? -1 : 1;
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return 0;
}

/**
 * One page of a planned list: `first` rows after `after`, from every row filter of the plan merged
 * in one ordering (each filter reads at most first+1 rows through its index; more than one filter
 * only when vendors spell a SKU differently). Rows the plan's residual check refuses are skipped and
 * the scan continues from the last row read, in pages of the same size.
 */
export async function readPage<F, N>(planned: PlannedList<F, N>, first: number, after: KeysetPosition | null): Promise<{ rows: { position: KeysetPosition; node: N }[]; hasNext: boolean }> {
  const { spec, order, plan, ctx } = planned;
  const db = ctx.db;
  if (plan.empty || first === 0) {
    const hasNext = first === 0 && !plan.empty ? (await readPage(planned, 1, after)).rows.length > 0 : false;
    return { rows: [], hasNext };
  }
  const sign = order.direction === 'ASC' ? 1 : -1;
  const out: { position: KeysetPosition; node: N }[] = [];
  let position = after;
  for (;;) {
    const want = first - out.length;
    // The residual check may refuse rows: read a little more than needed then.
    const ask = plan.residual ? Math.max(want, 100) : want;
    const pages = await Promise.all(plan.parts.map((part) => queryRows(db, { relation: spec.relation, ...part, orderBy: ORDER_COLUMN[order.field], direction: order.direction === 'ASC' ? 'asc' : 'desc', after: position, first: ask })));
    const merged = mergePages(pages, sign, ask);
    for (const row of merged.rows) {
      const rowPosition = { value: row.value, vendor: row.vendor, key: row.key };
      position = rowPosition;
      const node = spec.node(row.vendor, row.key, row.data, ctx);
      if (plan.residual && !(await plan.residual(node, row.vendor, row.key))) continue;
      if (out.length === first) return { rows: out, hasNext: true };
      out.push({ position: rowPosition, node });
    }
    if (!merged.hasNext) return { rows: out, hasNext: false };
    if (out.length === first) {
      // Full: another row exists; without a residual check it counts, with one it must pass.
      if (!plan.residual) return { rows: out, hasNext: true };
      const more = await readPage(planned, 1, position);
      return { rows: out, hasNext: more.rows.length > 0 };
    }
  }
}

/** The first `limit` rows of several ordered pages, and whether any row follows them. */
function mergePages(pages: { rows: QueriedRow[]; hasNext: boolean }[], sign: number, limit: number): { rows: QueriedRow[]; hasNext: boolean } {
  if (pages.length === 1) return pages[0] as { rows: QueriedRow[]; hasNext: boolean };
  const all = pages.flatMap((p) => p.rows);
  all.sort((a, b) => sign * compare({ value: a.value, vendor: a.vendor, key: a.key }, { value: b.value, vendor: b.vendor, key: b.key }));
  return { rows: all.slice(0, limit), hasNext: all.length > limit || pages.some((p) => p.hasNext) };
}

/** How many rows the planned list holds: by the store's count, or by reading when a residual check applies. */
export async function countList<F, N>(planned: PlannedList<F, N>): Promise<number> {
  const { spec, plan } = planned;
  const db = planned.ctx.db;
  if (plan.empty) return 0;
  if (plan.count) return plan.count();
  if (!plan.residual) {
    const counts = await Promise.all(plan.parts.map((part: RowFilter) => countRows(db, { relation: spec.relation, ...part })));
    return counts.reduce((a, b) => a + b, 0);
  }
  let n = 0;
  let after: KeysetPosition | null = null;
  for (;;) {
    const page: Awaited<ReturnType<typeof readPage<F, N>>> = await readPage(planned, 500, after);
    n += page.rows.length;
    const last = page.rows[page.rows.length - 1];
    if (!page.hasNext || !last) return n;
    after = last.position;
  }
}

/** A GraphQL connection page of a list. */
export async function listConnection<F, N>(planned: PlannedList<F, N>, args: Pick<ListArgs<F>, 'first' | 'after'>): Promise<Connection<N>> {
  const first = validateFirst(args.first);
  const after = args.after ? decodeCursor(args.after, planned.spec.name, planned.ordering) : null;
  const page = await readPage(planned, first, after);
  let counted: Promise<number> | null = null;
  return connectionOf(planned.spec.name, planned.ordering, page.rows, page.hasNext, args.after, () => (counted ??= countList(planned)));
}
