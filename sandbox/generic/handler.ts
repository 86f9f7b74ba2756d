import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { VendorReply } from '../core/server.js';
import type { VendorName } from '../world/index.js';
import { deref, describedVendor, type DescribedOperation, type Schema } from './descriptions.js';
import { VENDOR_SHAPES, type Problem, type VendorShape } from './vendor-shapes.js';

/**
 * The generic, stateful handler of every described operation that the vendor's hand-written
 * sandbox routes do not serve (it answers only requests no route matched). Driven by
 * docs/vendors/<vendor>.openapi.yaml: the request is validated against the operation's schemas
 * (zod built from them, once per operation), records live in memory per record kind, a write is
 * visible to the next read, lists page as the description says.
 *
 * Rules it follows for every vendor: POST to a collection creates a record (an `id` in the body
 * is kept, as Distru's upserts and ISOlocity's creates allow; an existing one is updated);
 * PUT/PATCH merges the body into the record; DELETE removes it; a nested collection
 * (`/orders/{order_id}/items`) holds the records created under that parent; list filters that
 * name a record field match it exactly and `q`/`keyword` search every text field. Actions
 * (`…/complete`, `…/reactivate`, bulk imports) answer in the described shape.
 */
export type SandboxFallback = (request: FastifyRequest) => VendorReply | null;

const ACTIONS = new Set(['complete', 'reactivate', 'resend', 'accept', 'decline', 'leave', 'pdf', 'in-use', 'summary', 'find-or-create']);

export function genericFallback(vendor: VendorName, prefix: string): SandboxFallback {
  const described = describedVendor(vendor);
  const shape = VENDOR_SHAPES[vendor];
  const store = new GenericStore(shape);
  const bodyValidators = new Map<DescribedOperation, z.ZodType | null>();
  const createdKinds = new Set(described.operations.filter((op) => op.method === 'POST' && op.record).map((op) => op.record!));
  seedUncreatable(described.operations, createdKinds, store, described.components, shape);

  const validatorOf = (op: DescribedOperation): z.ZodType | null => {
    if (!bodyValidators.has(op)) bodyValidators.set(op, op.body && op.bodyContentType === 'application/json' ? z.fromJSONSchema(op.body as Parameters<typeof z.fromJSONSchema>[0]) : null);
    return bodyValidators.get(op)!;
  };

  return (request) => {
    const [rawPath = '/', rawQuery = ''] = request.url.split('?') as [string, string?];
    if (!rawPath.startsWith(prefix)) return null;
    const path = rawPath.slice(prefix.length) || '/';
    for (const op of described.operations) {
      if (op.method !== request.method) continue;
      const match = op.pattern.exec(path);
      if (!match) continue;
      const pathValues = Object.fromEntries(op.pathParams.map((p, i) => [p, decodeURIComponent(match[i + 1]!)]));
      const query = new URLSearchParams(rawQuery);
      const problems = [...checkPath(op, pathValues), ...checkQuery(op, query)];
      const validator = validatorOf(op);
      const body: unknown = request.body;
      if (validator && (op.method !== 'PATCH' || body !== undefined)) {
        const parsed = validator.safeParse(body ?? {});
        if (!parsed.success) problems.push(...parsed.error.issues.map((i): Problem => ({ path: i.path as (string | number)[], message: i.message, section: 'body' })));
      }
      if (problems.length > 0) return problems.some((p) => p.section === 'path') ? shape.notFound(op.record ?? 'record', Object.values(pathValues).join('/')) : shape.invalid(problems);
      return handle(op, path, pathValues, query, body);
    }
    return null;
  };

  function handle(op: DescribedOperation, path: string, pathValues: Record<string, string>, query: URLSearchParams, body: unknown): VendorReply {
    const kind = op.record;
    const last = path.split('/').pop() ?? '';
    const endsWithParam = /\}$/.test(op.path);
    const id = endsWithParam ? pathValues[op.pathParams[op.pathParams.length - 1]!]! : null;
    const parent = parentOf(op, path);
    const envelope = hasData(op, described.components);
    const reply = (value: unknown, status = 200): VendorReply => ({ status, body: value });

    if (op.method === 'GET') {
      if (op.paging) return reply(listAnswer(op, store.list(kind && kind !== 'StatusValue' ? kind : op.path, parent, query), query));
      if (endsWithParam && kind && !ACTIONS.has(last)) {
        const record = store.get(kind, id!);
        return record ? reply(shape.one(fill(op.response, record, kind, described.components, shape), envelope)) : shape.notFound(kind, id!);
      }
      const record = kind ? store.singleton(kind, described.components, shape) : {};
      return reply(shape.one(fill(op.response, record, kind, described.components, shape), envelope));
    }
    const target = endsWithParam && kind && !ACTIONS.has(last) ? store.get(kind, id!) : undefined;
    if (op.method === 'DELETE') {
      if (endsWithParam && kind && !target) return shape.notFound(kind, id!);
      if (target) store.remove(kind!, id!);
      return reply(vendor === 'isolocity' ? { status: 'success', message: 'The request was successful' } : fill(op.response, { deletedId: id }, null, described.components, shape));
    }
    if (op.method === 'PUT' || op.method === 'PATCH') {
      if (endsWithParam && kind) {
        if (!target) return shape.notFound(kind, id!);
        const updated = store.update(kind, id!, fieldsOf(body));
        return reply(shape.one(fill(op.response, updated, kind, described.components, shape), envelope));
      }
      const record = kind ? store.update(kind, null, fieldsOf(body), described.components) : fieldsOf(body);
      return reply(shape.one(fill(op.response, record, kind, described.components, shape), envelope));
    }
    // POST
    const rows = Array.isArray(body) ? body : last === 'bulk-import' ? ((body as { rows?: unknown[] }).rows ?? []) : null;
    if (rows) {
      const created = rows.map((row) => store.create(kind ?? op.path, fieldsOf(row), parent));
      if (vendor === 'isolocity') return reply({ status: 'success', message: 'The request was successful', data: created, meta: { count: created.length } }, op.status);
      return reply({ results: created.map((r, index) => ({ index, status: 'created', id: r.id })) }, op.status);
    }
    if (ACTIONS.has(last) || !kind) {
      const subject = kind && op.pathParams.length ? store.get(kind, pathValues[op.pathParams[op.pathParams.length - 1]!]!) : undefined;
      let record: Record<string, unknown>;
      if (subject) record = store.update(kind!, String(subject.id), { ...fieldsOf(body), ...(last === 'reactivate' ? { isActive: true } : {}) });
      else if (kind && last === 'find-or-create') {
        // "Find or create contact for entity": the contact with this email, else a new one.
        const fields = fieldsOf(body);
        record = store.list(kind, null, new URLSearchParams()).find((r) => r.email === fields.email) ?? store.create(kind, { ...defaultsOf(kind, described.components), ...fields }, null);
      } else if (kind) record = store.update(kind, null, fieldsOf(body), described.components);
      else record = fieldsOf(body);
      return reply(shape.one(fill(op.response, record, kind, described.components, shape), envelope), op.status);
    }
    const fields = fieldsOf(body);
    const existing = fields.id !== undefined && fields.id !== null ? store.get(kind, String(fields.id)) : undefined;
    // Pharus "Get BOM for a SKU" reads a BOM by its output SKU: one BOM per SKU, keyed by it.
    if (typeof fields.outputSkuId === 'string' && fields.id === undefined) fields.id = fields.outputSkuId;
    const record = existing ? store.update(kind, String(fields.id), fields) : store.create(kind, { ...defaultsOf(kind, described.components), ...fields }, parent);
    return reply(shape.one(fill(op.response, record, kind, described.components, shape), envelope), existing ? 200 : op.status);
  }

  function listAnswer(op: DescribedOperation, all: Record<string, unknown>[], query: URLSearchParams): unknown {
    const paging = op.paging!;
    const int = (name: unknown, fallback: number) => {
      const v = typeof name === 'string' ? query.get(name) : null;
      return v !== null && /^\d+$/.test(v) ? Number(v) : fallback;
    };
    switch (paging.style) {
      case 'page': {
        const size = Math.min(int(paging.size, 50), Number(paging.maxSize ?? 500));
        const page = Math.max(1, int(paging.page, 1));
        const rows = all.slice((page - 1) * size, page * size);
        const from = rows.length ? (page - 1) * size + 1 : null;
        if (vendor === 'isolocity') return { status: 'success', message: 'The request was successful', meta: { current_page: page, per_page: size, total: all.length, from, to: from === null ? null : from + rows.length - 1 }, data: rows };
        return { data: rows, next_page: page * size < all.length ? `/public/v1/?page[number]=${page + 1}&page[size]=${size}` : null };
      }
      case 'cursor': {
        const start = Number(query.get(String(paging.cursor)) ?? '0') || 0;
        const limit = Math.max(1, int(paging.size, 50));
        return { data: all.slice(start, start + limit), nextCursor: start + limit < all.length ? String(start + limit) : null };
      }
      case 'offset': {
        const skip = int(paging.skip, 0);
        return all.slice(skip, skip + int(paging.size, 10));
      }
      default:
        return vendor === 'isolocity' ? { status: 'success', message: 'The request was successful', data: all } : { data: all };
    }
  }
}

/** The concrete parent of a nested collection: `/orders/5` for `/orders/5/items` and `/orders/5/items/7`. */
function parentOf(op: DescribedOperation, path: string): string | null {
  const segments = op.path.split('/');
  const lastParam = segments.map((s, i) => (s.startsWith('{') ? i : -1)).filter((i) => i >= 0);
  const anchor = /\}$/.test(op.path) ? lastParam[lastParam.length - 2] : lastParam[lastParam.length - 1];
  if (anchor === undefined) return null;
  return path.split('/').slice(0, anchor + 1).join('/');
}

function hasData(op: DescribedOperation, components: Record<string, Schema>): boolean {
  return !!(op.response && deref(op.response, components).properties?.data);
}

function fieldsOf(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' && !Array.isArray(body) ? { ...(body as Record<string, unknown>) } : {};
}

function checkPath(op: DescribedOperation, values: Record<string, string>): Problem[] {
  return op.params
    .filter((p) => p.in === 'path')
    .flatMap((p) => {
      const v = values[p.name] ?? '';
      const bad = (p.schema.type === 'integer' && !/^[1-9]\d*$/.test(v)) || (p.schema.format === 'uuid' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v));
      return bad ? [{ path: [p.name], message: 'not found', section: 'path' as const }] : [];
    });
}

function checkQuery(op: DescribedOperation, query: URLSearchParams): Problem[] {
  const problems: Problem[] = [];
  for (const p of op.params.filter((x) => x.in === 'query')) {
    const v = query.get(p.name);
    if (v === null) continue;
    if (p.schema.type === 'integer' && !/^-?\d+$/.test(v)) problems.push({ path: [p.name], message: `The ${p.name} must be an integer.`, section: 'query' });
    if (p.schema.enum && !p.schema.enum.map(String).includes(v)) problems.push({ path: [p.name], message: `The selected ${p.name} is invalid.`, section: 'query' });
  }
  return problems;
}

/** A response of the described shape, with the record's fields where the shape names them. */
function fill(schema: Schema | null, record: Record<string, unknown>, kind: string | null, components: Record<string, Schema>, shape: VendorShape): unknown {
  if (!schema) return record;
  const ref = schema.$ref?.split('/').pop();
  if (ref && ref === kind) return record;
  const s = deref(schema, components);
  if (s.properties && Object.keys(s.properties).length > 0) {
    if (s.properties.data && (shape === VENDOR_SHAPES.isolocity || shape === VENDOR_SHAPES.distru)) return fill(s.properties.data as Schema, record, kind, components, shape);
    return Object.fromEntries(
      Object.entries(schema.$ref ? s.properties : (schema.properties ?? s.properties)).map(([key, prop]) => {
        if (key in record) return [key, record[key]];
        const propRef = prop.$ref?.split('/').pop();
        if (propRef && propRef === kind) return [key, record];
        // Another kind's record this handler does not hold: none, rather than an invented one.
        if (propRef && components[propRef]?.properties?.id) return [key, null];
        return [key, example(prop, components, shape)];
      }),
    );
  }
  return example(schema, components, shape);
}

function example(schema: Schema, components: Record<string, Schema>, shape: VendorShape, depth = 0): unknown {
  const s = deref(schema, components);
  if (depth > 6) return null;
  const types = (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []).filter((t) => t !== 'null');
  if (s.oneOf) return example(s.oneOf[0]!, components, shape, depth + 1);
  if (types.includes('array')) return [];
  if (types.includes('object') || s.properties) return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, example(v, components, shape, depth + 1)]));
  if (s.enum?.length) return s.enum[0];
  if (types.includes('string')) return s.format === 'date-time' ? new Date().toISOString() : s.format === 'uuid' ? '00000000-0000-4000-8000-000000000000' : 'example';
  if (types.includes('number') || types.includes('integer')) return 0;
  if (types.includes('boolean')) return false;
  return null;
}

/** Every field of a record kind, null until written (so reads show the documented shape). */
function defaultsOf(kind: string, components: Record<string, Schema>): Record<string, unknown> {
  const def = components[kind];
  return def?.properties ? Object.fromEntries(Object.keys(def.properties).map((k) => [k, null])) : {};
}

/**
 * Kinds no described operation creates (ISOlocity companies and employees, Pharus status lists,
 * the current user and organisation…): one example record each, so their reads show data. Status
 * lists take the statuses the matching create documents (`List PO status enum values` → the PO
 * create's `status` enum).
 */
function seedUncreatable(ops: DescribedOperation[], created: ReadonlySet<string>, store: GenericStore, components: Record<string, Schema>, shape: VendorShape): void {
  for (const op of ops) {
    if (op.method !== 'GET' || !op.record || created.has(op.record)) continue;
    if (op.record === 'StatusValue') {
      const owner = /^\/([\w-]+)-statuses$/.exec(op.path)?.[1];
      const create = ops.find((o) => o.method === 'POST' && o.record && o.path === `/${owner}s` && o.body?.properties?.status);
      const statuses = (create?.body?.properties?.status?.enum as string[] | undefined) ?? ['Open', 'Closed'];
      if (store.list(op.path, null, new URLSearchParams()).length === 0) for (const s of statuses) store.seedValue(op.path, s);
      continue;
    }
    if (store.list(op.record, null, new URLSearchParams()).length > 0) continue;
    const sample = example({ $ref: `#/components/schemas/${op.record}` }, components, shape);
    if (sample && typeof sample === 'object') store.create(op.record, sample as Record<string, unknown>, null);
  }
}

/** Records per kind, in creation order; nested records remember their parent path. */
class GenericStore {
  private readonly kinds = new Map<string, Map<string, Record<string, unknown>>>();
  private readonly parents = new Map<Record<string, unknown>, string | null>();
  private readonly values = new Map<string, unknown[]>();
  private sequence = 0;

  constructor(private readonly shape: VendorShape) {}

  private kind(kind: string): Map<string, Record<string, unknown>> {
    let records = this.kinds.get(kind);
    if (!records) this.kinds.set(kind, (records = new Map()));
    return records;
  }

  get(kind: string, id: string): Record<string, unknown> | undefined {
    return this.kind(kind).get(id);
  }

  list(kind: string, parent: string | null, query: URLSearchParams): Record<string, unknown>[] {
    const values = this.values.get(kind);
    if (values) return values as Record<string, unknown>[];
    let rows = [...this.kind(kind).values()];
    if (parent !== null) rows = rows.filter((r) => this.parents.get(r) === parent);
    for (const [name, value] of query) {
      if (name === 'q' || name === 'keyword') {
        const needle = value.toLowerCase();
        rows = rows.filter((r) => Object.values(r).some((v) => typeof v === 'string' && v.toLowerCase().includes(needle)));
      } else if (rows.some((r) => name in r)) {
        rows = rows.filter((r) => String(r[name]) === value);
      }
    }
    return rows;
  }

  create(kind: string, fields: Record<string, unknown>, parent: string | null): Record<string, unknown> {
    const [created, updated] = this.shape.timestamps;
    const id = fields.id !== undefined && fields.id !== null && fields.id !== 'example' && fields.id !== 0 ? fields.id : this.shape.newId(++this.sequence);
    const now = this.shape.now();
    const record: Record<string, unknown> = { ...fields, id, [created]: now, [updated]: now };
    this.kind(kind).set(String(id), record);
    this.parents.set(record, parent);
    return record;
  }

  update(kind: string, id: string | null, fields: Record<string, unknown>, components?: Record<string, Schema>): Record<string, unknown> {
    const record = id === null ? this.singleton(kind, components ?? {}, this.shape) : this.kind(kind).get(id)!;
    const { id: _ignored, ...changes } = fields;
    Object.assign(record, changes, { [this.shape.timestamps[1]]: this.shape.now() });
    return record;
  }

  remove(kind: string, id: string): void {
    const record = this.kind(kind).get(id);
    if (record) this.parents.delete(record);
    this.kind(kind).delete(id);
  }

  /** The one record of a kind that has no id in its path (the current user, the current organisation). */
  singleton(kind: string, components: Record<string, Schema>, shape: VendorShape): Record<string, unknown> {
    const first = this.kind(kind).values().next();
    if (!first.done) return first.value;
    const sample = example({ $ref: `#/components/schemas/${kind}` }, components, shape);
    return this.create(kind, sample && typeof sample === 'object' ? (sample as Record<string, unknown>) : {}, null);
  }

  seedValue(listPath: string, value: unknown): void {
    const values = this.values.get(listPath) ?? [];
    values.push(value);
    this.values.set(listPath, values);
  }
}
