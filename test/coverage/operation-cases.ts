import { randomUUID } from 'node:crypto';
import { getNamedType, isLeafType, isListType, isNonNullType, isObjectType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { resolveRef, type JsonSchema, type OperationModel, type VendorModel } from '../../scripts/vendor-api/model.js';

/**
 * Builds GraphQL requests for generated operations from their descriptions: argument values from
 * the JSON Schemas (enums, UUIDs, lengths, minimums) and ids of records the run has already seen,
 * selection sets from the schema (every leaf, two levels deep).
 */

/** Ids seen so far, per record kind (the GraphQL type without its vendor prefix, lower case). */
export class IdBook {
  private readonly ids = new Map<string, string[]>();

  add(type: string | null | undefined, id: unknown): void {
    if (!type || id === null || id === undefined) return;
    const key = kindKey(type);
    const list = this.ids.get(key) ?? [];
    if (!list.includes(String(id))) list.push(String(id));
    this.ids.set(key, list);
  }

  /** The newest id of a kind (our own creations come last, so updates and deletes touch those). */
  latest(kind: string): string | undefined {
    const list = this.ids.get(kind.toLowerCase());
    return list?.[list.length - 1];
  }

  /** Every id of a kind, in the order seen. */
  all(kind: string): readonly string[] {
    return this.ids.get(kind.toLowerCase()) ?? [];
  }

  first(kind: string): string | undefined {
    return this.ids.get(kind.toLowerCase())?.[0];
  }

  forget(kind: string, id: string): void {
    const list = this.ids.get(kind.toLowerCase());
    if (list) this.ids.set(kind.toLowerCase(), list.filter((x) => x !== id));
  }
}

export function kindKey(type: string): string {
  return type.replace(/^(Isolocity|Pharus|Distru|Hapihub)/, '').replace(/Record$/, '').toLowerCase();
}

/** Field names whose record kind is not their own name. */
const REFERENCE_KINDS: Record<string, string> = {
  drawing: 'specification',
  entity: 'part',
  contact: 'customer',
  outputsku: 'sku',
  parent: 'customer',
  billinglocation: 'location',
  company: 'company',
  segment: 'customersegment',
  channel: 'orderchannel',
  user: 'user',
  specification: 'specification',
  error_code: 'specification',
};

export function referencedKind(field: string, op: OperationModel): string[] {
  const base = field.replace(/(_id|Id|_ids|Ids)$/, '');
  const lower = base.toLowerCase().replace(/_/g, '');
  if (field === 'typeId') return [`${(op.record ?? '').toLowerCase()}type`];
  const words = base.split(/(?=[A-Z])|_/).map((w) => w.toLowerCase());
  return [REFERENCE_KINDS[lower] ?? lower, words[words.length - 1]!, REFERENCE_KINDS[base.toLowerCase()] ?? ''].filter(Boolean);
}

let counter = 0;
export function marker(): string {
  return `cov-${++counter}`;
}

export interface ValueContext {
  model: VendorModel;
  op: OperationModel;
  ids: IdBook;
}

/** A valid value of a schema for a field of this name, or undefined when none can be made. */
export function valueFor(name: string, schema: JsonSchema, ctx: ValueContext, depth = 0): unknown {
  const s = resolveRef(ctx.model.components, schema);
  const types = (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []).filter((t) => t !== 'null');
  if (s.enum?.length) return s.enum[0];
  if (types.includes('array')) {
    const item = valueFor(name.replace(/s$/, ''), s.items ?? {}, ctx, depth + 1);
    return item === undefined ? [] : [item];
  }
  if (types.includes('object') || s.properties) {
    if (!s.properties || depth > 3) return {};
    const required = new Set(s.required ?? []);
    return Object.fromEntries(
      Object.entries(s.properties)
        .filter(([k, v]) => required.has(k) || /(_id|Id)$/.test(k) || (resolveRef(ctx.model.components, v).type === 'number' && k === 'quantity'))
        .map(([k, v]) => [k, valueFor(k, v, ctx, depth + 1)])
        .filter(([, v]) => v !== undefined),
    );
  }
  if (name === 'warehouse' && ctx.ids.first('warehouse')) return ctx.ids.first('warehouse');
  const isId = /(_id|Id)$/.test(name) || s.format === 'uuid';
  if (isId) {
    for (const kind of referencedKind(name, ctx.op)) {
      // The newest record of the kind: one this run made, or the last one a read showed.
      const id = ctx.ids.latest(kind);
      if (id !== undefined) return types.includes('integer') ? Number(id) : id;
    }
    if (types.includes('integer')) return 1;
    return s.format === 'uuid' || ctx.model.vendor === 'pharus' || ctx.model.vendor === 'distru' ? randomUUID() : '1';
  }
  if (types.includes('integer')) return Math.max(Number(s.minimum ?? 1), 1);
  if (types.includes('number') && types.includes('string')) return '2';
  if (types.includes('number')) return Math.max(Number(s.minimum ?? 1), 1);
  if (types.includes('boolean')) return false;
  if (types.includes('string') || types.length === 0) {
    if (/(date|Date|mabd)$/.test(name)) return '2026-03-01';
    if (/(At|_at|datetime)$/.test(name)) return '2026-03-01T00:00:00Z';
    if (/email/i.test(name)) return `${marker()}@example.com`;
    if (s.minLength === 2 && s.maxLength === 2) return 'US';
    if (s.pattern) return `cov-slug-${counter++}`;
    const text = name === 'password' ? 'sandbox-password' : marker();
    return s.maxLength !== undefined ? text.slice(0, s.maxLength) : text;
  }
  return undefined;
}

/** A selection of every leaf field, following objects `depth` levels down. */
export function selection(schema: GraphQLSchema, typeName: string, depth = 2): string {
  const type = schema.getType(typeName);
  if (!type || !isObjectType(type)) return '';
  const parts: string[] = ['__typename'];
  for (const field of Object.values((type as GraphQLObjectType).getFields()) as GraphQLField<unknown, unknown>[]) {
    if (field.args.some((a) => isNonNullType(a.type))) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (depth > 0) {
      const inner = selection(schema, named.name, depth - 1);
      if (inner) parts.push(`${field.name} { ${inner} }`);
    }
  }
  return parts.length > 1 ? parts.join(' ') : '';
}

/** The GraphQL type a field returns, with lists and non-null stripped. */
export function returnTypeName(schema: GraphQLSchema, parent: string, field: string): { name: string; list: boolean } {
  const type = (schema.getType(parent) as GraphQLObjectType).getFields()[field]!.type;
  const unwrapped = isNonNullType(type) ? type.ofType : type;
  return { name: getNamedType(type).name, list: isListType(unwrapped) };
}
