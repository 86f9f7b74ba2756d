import type { z } from 'zod';
import { badRequest, fieldErrors } from './errors.js';
import type { QueryNode, QueryObject } from './querystring.js';
import { FILTER_FIELDS, TOP_LEVEL_FIELDS, limitSchema, scalarSchemas, selectSchema, skipSchema, sortDirectionSchema, type ScalarType } from './schemas.js';

/**
 * The Feathers common query syntax over in-memory records (https://feathersjs.com/api/databases/querying):
 * `$limit`, `$skip`, `$sort[field]=1|-1`, `$select`, equality on a field, `field[$gt|$gte|$lt|$lte|$ne]`,
 * `field[$in|$nin][]`, and `$or`/`$and` of such filters. A dotted field (`items.sku`) matches when any
 * item matches, as MongoDB (HAPIHub's store) does. Anything else is refused with BadRequest
 * "Invalid query parameter …", as Feathers' `filterQuery` does for an unknown `$` operator.
 */

/** A service's `paginate` setting: off (bare arrays, the document's shape) or Feathers' default/max. */
export type Paginate = false | { default: number; max: number };

export interface Page<T> {
  total: number;
  limit: number;
  skip: number;
  data: T[];
}

type Scalar = string | number | boolean;
type Predicate = (record: object) => boolean;

export interface CompiledFind {
  matches: Predicate;
  compare: ((a: object, b: object) => number) | null;
  limit: number | undefined;
  skip: number;
  select: readonly string[] | null;
}

function parseParam<S extends z.ZodType>(schema: S, value: QueryNode, name: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest(`Invalid query parameter ${name}`, fieldErrors(parsed.error, name));
  return parsed.data;
}

function fieldTypeOf(field: string): ScalarType | undefined {
  return Object.hasOwn(FILTER_FIELDS, field) ? FILTER_FIELDS[field as keyof typeof FILTER_FIELDS] : undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The values at a dotted path; arrays on the way are looked into element by element. */
function valuesAt(record: object, path: readonly string[]): unknown[] {
  let current: unknown[] = [record];
  for (const key of path) {
    const next: unknown[] = [];
    for (const value of current) {
      for (const holder of Array.isArray(value) ? value : [value]) {
        if (isRecord(holder) && Object.hasOwn(holder, key)) next.push(holder[key]);
      }
    }
    current = next;
  }
  return current;
}

/** Order of two field values; a missing value sorts first, as null does in MongoDB. */
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a !== typeof b) return typeof a < typeof b ? -1 : 1;
  return (a as Scalar) < (b as Scalar) ? -1 : 1;
}

const RANGE = {
  $gt: (c: number) => c > 0,
  $gte: (c: number) => c >= 0,
  $lt: (c: number) => c < 0,
  $lte: (c: number) => c <= 0,
} as const;

function compileCondition(field: string, type: ScalarType, node: QueryNode, name: string): Predicate {
  const path = field.split('.');
  const scalar = (value: QueryNode, at: string): Scalar => parseParam(scalarSchemas[type], value, at);
  if (typeof node === 'string') {
    const expected = scalar(node, name);
    return (record) => valuesAt(record, path).some((v) => v === expected);
  }
  if (Array.isArray(node)) throw badRequest(`Invalid query parameter ${name}`, { [name]: 'is given more than once: use [$in]' });
  const conditions: Predicate[] = Object.entries(node).map(([op, arg]): Predicate => {
    const at = `${name}[${op}]`;
    if (op === '$in' || op === '$nin') {
      if (isRecord(arg)) throw badRequest(`Invalid query parameter ${at}`, { [at]: 'must be a value or a list of values' });
      const set = new Set((Array.isArray(arg) ? arg : [arg]).map((v, i) => scalar(v, `${at}[${i}]`)));
      const anyIn = (record: object): boolean => valuesAt(record, path).some((v) => set.has(v as Scalar));
      return op === '$in' ? anyIn : (record) => !anyIn(record);
    }
    if (typeof arg !== 'string') throw badRequest(`Invalid query parameter ${at}`, { [at]: 'must be a single value' });
    const bound = scalar(arg, at);
    if (op === '$ne') return (record) => !valuesAt(record, path).some((v) => v === bound);
    if (op === '$gt' || op === '$gte' || op === '$lt' || op === '$lte') {
      const holds = RANGE[op];
      // Only values of the bound's own type compare, as in MongoDB's type brackets.
      return (record) => valuesAt(record, path).some((v) => typeof v === typeof bound && holds(compareValues(v, bound)));
    }
    throw badRequest(`Invalid query parameter ${at}`, { [at]: 'is not a supported operator' });
  });
  return (record) => conditions.every((c) => c(record));
}

function compileFilter(filters: QueryObject, at: string): Predicate {
  const predicates = Object.entries(filters).map(([key, node]): Predicate => {
    const name = at === '' ? key : `${at}[${key}]`;
    if (key === '$or' || key === '$and') {
      if (!Array.isArray(node) || node.length === 0 || !node.every(isRecord)) throw badRequest(`Invalid query parameter ${name}`, { [name]: 'must be a list of filters, e.g. $or[0][type]=sales' });
      const branches = node.map((branch, i) => compileFilter(branch as QueryObject, `${name}[${i}]`));
      return key === '$or' ? (record) => branches.some((p) => p(record)) : (record) => branches.every((p) => p(record));
    }
    const type = fieldTypeOf(key);
    if (type === undefined) throw badRequest(`Invalid query parameter ${name}`, { [name]: key.startsWith('$') ? 'is not a supported operator' : 'is not a field of inventory-transactions' });
    return compileCondition(key, type, node, name);
  });
  return (record) => predicates.every((p) => p(record));
}

function compileSort(node: QueryNode): CompiledFind['compare'] {
  if (!isRecord(node)) throw badRequest('Invalid query parameter $sort', { $sort: 'must name fields, e.g. $sort[createdAt]=-1' });
  const keys = Object.entries(node).map(([field, direction]) => {
    const name = `$sort[${field}]`;
    if (field.includes('.') || fieldTypeOf(field) === undefined) throw badRequest(`Invalid query parameter ${name}`, { [name]: 'is not a sortable field' });
    return { field, direction: parseParam(sortDirectionSchema, direction, name) };
  });
  return (a, b) => {
    for (const { field, direction } of keys) {
      const order = compareValues(valuesAt(a, [field])[0], valuesAt(b, [field])[0]);
      if (order !== 0) return order * direction;
    }
    return 0;
  };
}

function compileSelect(node: QueryNode): readonly string[] {
  const fields = parseParam(selectSchema, node, '$select');
  const unknown = fields.filter((f) => !TOP_LEVEL_FIELDS.has(f));
  if (unknown.length > 0) throw badRequest('Invalid query parameter $select', { $select: `unknown fields: ${unknown.join(', ')}` });
  return fields;
}

/** Turns a parsed query string into the find it asks for; throws BadRequest on anything invalid. */
export function compileFind(query: QueryObject): CompiledFind {
  const { $limit, $skip, $sort, $select, ...filters } = query;
  return {
    limit: $limit === undefined ? undefined : parseParam(limitSchema, $limit, '$limit'),
    skip: $skip === undefined ? 0 : parseParam(skipSchema, $skip, '$skip'),
    compare: $sort === undefined ? null : compileSort($sort),
    select: $select === undefined ? null : compileSelect($select),
    matches: compileFilter(filters, ''),
  };
}

/** `$select` keeps the named fields and always the id, as Feathers' adapters do. */
export function selectFields(record: object, select: readonly string[] | null): object {
  if (select === null) return record;
  const source = record as Record<string, unknown>;
  return Object.fromEntries(['id', ...select].filter((f) => Object.hasOwn(source, f)).map((f) => [f, source[f]]));
}

/**
 * Runs a find. Without pagination `$limit` is taken as given and its absence means "everything"
 * (Feathers with `paginate: false`); with pagination `$limit` defaults to `paginate.default` and is
 * capped at `paginate.max`, and the answer is Feathers' page object.
 */
export function findRecords(records: readonly object[], find: CompiledFind, paginate: Paginate): object[] | Page<object> {
  const matched = records.filter(find.matches);
  if (find.compare) matched.sort(find.compare);
  const limit = paginate ? Math.min(find.limit ?? paginate.default, paginate.max) : find.limit;
  const data = matched.slice(find.skip, limit === undefined ? undefined : find.skip + limit).map((r) => selectFields(r, find.select));
  return paginate ? { total: matched.length, limit: limit ?? paginate.default, skip: find.skip, data } : data;
}
