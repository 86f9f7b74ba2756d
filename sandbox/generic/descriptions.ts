import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { VendorName } from '../world/index.js';

/**
 * The vendor descriptions (docs/vendors/<vendor>.openapi.yaml) as the generic sandbox handler reads
 * them: every operation with its schemas, `$ref`s resolved. The sandbox takes the same description
 * the gateway is generated from, but none of the gateway's code.
 */
export type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  oneOf?: Schema[];
  format?: string;
  additionalProperties?: boolean | Schema;
  [key: string]: unknown;
};

export interface DescribedOperation {
  operationId: string;
  method: string;
  /** OpenAPI template, e.g. `/orders/{order_id}/items/{id}`. */
  path: string;
  pattern: RegExp;
  pathParams: string[];
  params: { name: string; in: string; required: boolean; schema: Schema }[];
  body: Schema | null;
  bodyContentType: string | null;
  response: Schema | null;
  status: number;
  record: string | null;
  paging: Record<string, unknown> | null;
}

export interface Described {
  vendor: VendorName;
  components: Record<string, Schema>;
  operations: DescribedOperation[];
}

const cache = new Map<VendorName, Described>();

export function describedVendor(vendor: VendorName): Described {
  const hit = cache.get(vendor);
  if (hit) return hit;
  const doc = parse(readFileSync(new URL(`../../docs/vendors/${vendor}.openapi.yaml`, import.meta.url), 'utf8')) as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
    components: { schemas: Record<string, Schema> };
  };
  const components = doc.components.schemas;
  const operations: DescribedOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const requestBody = op.requestBody as { content: Record<string, { schema: Schema }> } | undefined;
      const bodyEntry = requestBody ? Object.entries(requestBody.content)[0] : undefined;
      const responses = op.responses as Record<string, { content?: Record<string, { schema: Schema }> }>;
      const [status, success] = Object.entries(responses).find(([s]) => s.startsWith('2')) ?? ['200', undefined];
      const media = success?.content?.['application/json'];
      operations.push({
        operationId: op.operationId as string,
        method: method.toUpperCase(),
        path,
        pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}/g, '([^/]+)').replace(/\{(\w+)\}/g, '([^/]+)')}/?$`),
        pathParams,
        params: ((op.parameters as { name: string; in: string; required?: boolean; schema: Schema }[] | undefined) ?? []).map((p) => ({ name: p.name, in: p.in, required: p.required === true, schema: deref(p.schema, components) })),
        body: bodyEntry ? deref(bodyEntry[1].schema, components) : null,
        bodyContentType: bodyEntry?.[0] ?? null,
        response: media ? media.schema : null,
        status: Number(status),
        record: (op['x-opsgraph-record'] as string | undefined) ?? null,
        paging: (op['x-opsgraph-paging'] as Record<string, unknown> | undefined) ?? null,
      });
    }
  }
  // Literal paths before templated ones: `/parts/bulk` must not be read as `/parts/{id}`.
  operations.sort((a, b) => a.pathParams.length - b.pathParams.length);
  const described = { vendor, components, operations };
  cache.set(vendor, described);
  return described;
}

/** The schema with every `$ref` replaced by its component (the descriptions hold no cycles). */
export function deref(schema: Schema, components: Record<string, Schema>, depth = 0): Schema {
  if (depth > 20) return {};
  if (schema.$ref) return deref(components[schema.$ref.split('/').pop()!] ?? {}, components, depth + 1);
  const out: Schema = { ...schema };
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, deref(v, components, depth + 1)]));
  if (schema.items) out.items = deref(schema.items, components, depth + 1);
  if (schema.oneOf) out.oneOf = schema.oneOf.map((s) => deref(s, components, depth + 1));
  return out;
}
