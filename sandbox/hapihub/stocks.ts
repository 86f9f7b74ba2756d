import { stockKey } from '../../src/vendors/hapihub/stock-rule.js';
import { badRequest } from './errors.js';
import { stableObjectId } from './ids.js';
import { findRecords, type Paginate } from './query.js';
import type { QueryNode, QueryObject } from './querystring.js';
import { limitSchema, skipSchema } from './schemas.js';
import type { HapihubStore } from './store.js';

/**
 * `GET /inventory-stocks`: the stock a newer build of HAPIHub's apidoc serves
 * (https://docs.fleming.hippocrades.org/api/Inventory_Stocks.html; that page could not be read
 * when this was written, so the row is ours and unverified, docs/vendors/hapihub.md): one row per
 * (item `sku`, lot `control`, `warehouse`) that the transactions ever touched, `quantity` = the
 * fold of the transactions (src/vendors/hapihub/stock-rule.ts), so it always agrees with them.
 * Find takes Feathers' syntax for the fields a stock reader needs: `sku`, `warehouse` and
 * `control` (equal, or `[$in]`), `$limit`, `$skip`, `$sort[id]`. Anything else is 400 BadRequest.
 */
export interface StockRow {
  id: string;
  warehouse: string;
  sku: string;
  control: string | null;
  quantity: number;
}

const FIELDS = ['sku', 'warehouse', 'control'] as const;

/** `field=value`, `field[$in][]=…` → the accepted values of one field. */
function valuesOf(name: string, node: QueryNode): Set<string> {
  if (typeof node === 'string') return new Set([node]);
  if (!Array.isArray(node) && typeof node === 'object') {
    const { $in, ...rest } = node;
    if (Object.keys(rest).length === 0 && $in !== undefined) {
      const list = Array.isArray($in) ? $in : [$in];
      if (list.every((v): v is string => typeof v === 'string')) return new Set(list);
    }
  }
  throw badRequest(`Invalid query parameter ${name}`, { [name]: 'a value or [$in] of values' });
}

export function stockRows(store: HapihubStore): StockRow[] {
  const rows: StockRow[] = [];
  for (const level of store.stock().values()) {
    rows.push({ id: stableObjectId('stock', stockKey(level.sku, level.control, level.warehouse), 0), warehouse: level.warehouse, sku: level.sku, control: level.control, quantity: level.quantity });
  }
  return rows;
}

export function findStocks(store: HapihubStore, query: QueryObject, paginate: Paginate): object {
  const { $limit, $skip, $sort, ...filters } = query;
  const accepted = new Map<string, Set<string>>();
  for (const [name, node] of Object.entries(filters)) {
    if (!(FIELDS as readonly string[]).includes(name)) throw badRequest(`Invalid query parameter ${name}`, { [name]: `not a field of inventory-stocks (${FIELDS.join(', ')})` });
    accepted.set(name, valuesOf(name, node));
  }
  const number = (schema: typeof limitSchema, node: QueryNode | undefined, name: string): number | undefined => {
    if (node === undefined) return undefined;
    const parsed = schema.safeParse(node);
    if (!parsed.success) throw badRequest(`Invalid query parameter ${name}`, { [name]: 'must be a non-negative integer' });
    return parsed.data;
  };
  let direction = 0;
  if ($sort !== undefined) {
    const id = typeof $sort === 'object' && !Array.isArray($sort) ? $sort.id : undefined;
    if ((id !== '1' && id !== '-1') || Object.keys($sort).length !== 1) throw badRequest('Invalid query parameter $sort', { $sort: 'only $sort[id]=1 or -1' });
    direction = Number(id);
  }
  const matches = (row: object) => {
    const r = row as StockRow;
    for (const [name, values] of accepted) if (!values.has(String(r[name as keyof StockRow] ?? ''))) return false;
    return true;
  };
  return findRecords(
    stockRows(store),
    {
      limit: number(limitSchema, $limit, '$limit'),
      skip: number(skipSchema, $skip, '$skip') ?? 0,
      compare: direction === 0 ? null : (a, b) => direction * ((a as StockRow).id < (b as StockRow).id ? -1 : (a as StockRow).id > (b as StockRow).id ? 1 : 0),
      select: null,
      matches,
    },
    paginate,
  );
}
