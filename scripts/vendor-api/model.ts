/**
 * Reads docs/vendors/<vendor>.openapi.yaml into the shape the emitters need: every operation with
 * its GraphQL name, arguments, body, result location and paging.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  oneOf?: JsonSchema[];
  enum?: unknown[];
  description?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  pattern?: string;
  writeOnly?: boolean;
};

export const VENDORS = ['isolocity', 'pharus', 'distru', 'hapihub'] as const;
export type VendorKey = (typeof VENDORS)[number];
export const VENDOR_PREFIX: Record<VendorKey, string> = { isolocity: 'Isolocity', pharus: 'Pharus', distru: 'Distru', hapihub: 'Hapihub' };
const ENVELOPED: ReadonlySet<VendorKey> = new Set(['isolocity', 'distru']);

export interface ParamModel {
  name: string;
  arg: string;
  in: 'path' | 'query' | 'header' | 'body';
  required: boolean;
  schema: JsonSchema;
  description?: string;
}

export interface OperationModel {
  vendor: VendorKey;
  operationId: string;
  kind: 'read' | 'write';
  method: string;
  path: string;
  heading: string;
  summary: string;
  description?: string;
  /** GraphQL field (reads: under the vendor's query type; writes: the mutation name). */
  field: string;
  params: ParamModel[];
  /** Paging parameters (replaced by first/after). */
  pagingParams: Set<string>;
  body: 'none' | 'object' | 'array' | 'multipart';
  /** For array bodies: the row schema. */
  bodyRows?: JsonSchema;
  response: JsonSchema | null;
  /** Where the GraphQL result sits in the response. */
  resultPath: string;
  paging: Record<string, unknown> | null;
  record?: string;
  sensitive: string[];
}

export interface VendorModel {
  vendor: VendorKey;
  prefix: string;
  title: string;
  description: string;
  components: Record<string, JsonSchema>;
  operations: OperationModel[];
}

const DOCS = new URL('../../docs/vendors/', import.meta.url);

export function graphqlName(name: string): string {
  const cleaned = name
    .replace(/\[\]$/, '')
    .replace(/^\$/, '')
    .replace(/[^_0-9A-Za-z]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

function lowerFirst(s: string): string {
  return s[0]!.toLowerCase() + s.slice(1);
}

export function upperFirst(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}

/** `listCars` → `cars`, `getCar` → `car`, anything else keeps its operation id. */
function readFieldName(operationId: string): string {
  const m = /^(list|get)([A-Z]\w*)$/.exec(operationId);
  return m ? lowerFirst(m[2]!) : operationId;
}

export function resolveRef(components: Record<string, JsonSchema>, schema: JsonSchema): JsonSchema {
  let s = schema;
  for (let i = 0; s.$ref && i < 10; i++) s = components[s.$ref.split('/').pop()!]!;
  return s;
}

export function refName(schema: JsonSchema): string | null {
  return schema.$ref ? schema.$ref.split('/').pop()! : null;
}

export function loadVendor(vendor: VendorKey): VendorModel {
  const doc = parse(readFileSync(new URL(`${vendor}.openapi.yaml`, DOCS), 'utf8')) as {
    info: { title: string; description: string };
    paths: Record<string, Record<string, Record<string, unknown>>>;
    components: { schemas: Record<string, JsonSchema> };
  };
  const components = doc.components.schemas;
  const operations: OperationModel[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const operationId = op.operationId as string;
      const kind = method === 'get' ? 'read' : 'write';
      const paging = (op['x-opsgraph-paging'] as Record<string, unknown> | undefined) ?? null;
      const pagingParams = new Set<string>(paging ? ([paging.page, paging.size, paging.cursor, paging.skip].filter((x) => typeof x === 'string') as string[]) : []);
      const params: ParamModel[] = ((op.parameters as Record<string, unknown>[] | undefined) ?? []).map((p) => ({
        name: p.name as string,
        arg: graphqlName(p.name as string),
        in: p.in as ParamModel['in'],
        required: p.required === true,
        schema: p.schema as JsonSchema,
        ...(p.description ? { description: p.description as string } : {}),
      }));
      let body: OperationModel['body'] = 'none';
      let bodyRows: JsonSchema | undefined;
      const requestBody = op.requestBody as { content: Record<string, { schema: JsonSchema }> } | undefined;
      if (requestBody) {
        const [contentType, media] = Object.entries(requestBody.content)[0]!;
        const schema = resolveRef(components, media.schema);
        if (schema.type === 'array') {
          body = 'array';
          bodyRows = schema.items!;
        } else {
          body = contentType.startsWith('multipart/') ? 'multipart' : 'object';
          const required = new Set(schema.required ?? []);
          for (const [name, prop] of Object.entries(schema.properties ?? {})) {
            const existing = params.find((p) => p.arg === graphqlName(name));
            if (existing) continue; // a body field named like a path parameter (`order_id`, `id`): one input, sent in the path
            params.push({ name, arg: graphqlName(name), in: 'body', required: required.has(name), schema: prop, ...(prop.description ? { description: prop.description } : {}) });
          }
          if (!schema.properties && schema.additionalProperties)
            params.push({
              name: '',
              arg: 'body',
              in: 'body',
              required: false,
              schema: { type: 'object', additionalProperties: true },
              description: 'The body, as the vendor takes it (the document gives no schema)',
            });
        }
      }
      const responses = op.responses as Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
      const success = Object.entries(responses).find(([status]) => status.startsWith('2'))?.[1];
      const media = success?.content ? Object.entries(success.content)[0] : undefined;
      const response = media && media[0] === 'application/json' ? media[1].schema : null;
      const resolved = response ? resolveRef(components, response) : null;
      const resultPath = response && ENVELOPED.has(vendor) && resolved?.properties?.data && !paging && !response.$ref?.endsWith('SystemStatus') ? 'data' : '';
      operations.push({
        vendor,
        operationId,
        kind,
        method: method.toUpperCase(),
        path,
        heading: op['x-opsgraph-heading'] as string,
        summary: op.summary as string,
        ...(op.description ? { description: op.description as string } : {}),
        field: kind === 'read' ? readFieldName(operationId) : `${vendor}${upperFirst(operationId)}`,
        params,
        pagingParams,
        body,
        ...(bodyRows ? { bodyRows } : {}),
        response,
        resultPath,
        paging,
        ...(op['x-opsgraph-record'] ? { record: op['x-opsgraph-record'] as string } : {}),
        sensitive: (op['x-opsgraph-sensitive'] as string[] | undefined) ?? [],
      });
    }
  }
  // A get whose field name a list already takes (`inventory`, `inventory(id:)`) is `…ById`.
  const taken = new Set(operations.filter((o) => o.kind === 'read' && o.paging).map((o) => o.field));
  for (const o of operations) if (o.kind === 'read' && !o.paging && taken.has(o.field)) o.field = `${o.field}ById`;
  return { vendor, prefix: VENDOR_PREFIX[vendor], title: doc.info.title, description: doc.info.description, components, operations };
}
