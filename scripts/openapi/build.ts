/**
 * Bootstraps docs/vendors/<vendor>.openapi.yaml from the four seed documents
 * (/work/shared/seeds, see its README) and the route tables beside this file.
 *
 *   npx tsx scripts/openapi/build.ts [--vendor isolocity] --force
 *
 * The YAML files are the reviewed source of truth afterwards: `npm run codegen` reads them, not the
 * seeds. Re-running this overwrites hand edits, hence `--force`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { parseRedocText, type RedocOperation } from './redoc-text.js';
import { ISOLOCITY_EVIDENCE, ISOLOCITY_ROUTES } from './isolocity-routes.js';
import { PHARUS_EVIDENCE, PHARUS_ROUTES } from './pharus-routes.js';
import { objectOfRedocFields, schemaOfRedocField, schemaOfSample, type JsonSchema } from './schema-from.js';
import { camel, pascal, recordKindOfPath } from './naming.js';
import { buildDistru } from './distru.js';
import { buildHapihub } from './hapihub.js';

export const SEEDS = process.env.OPSGRAPH_SEEDS ?? '/work/shared/seeds';
const OUT = new URL('../../docs/vendors/', import.meta.url);

export interface Operation {
  method: string;
  path: string;
  operation: JsonSchema;
}

export interface Description {
  vendor: string;
  info: JsonSchema;
  servers: JsonSchema[];
  security: JsonSchema;
  components: Record<string, JsonSchema>;
  operations: Operation[];
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const TIMESTAMP = { type: 'string', description: 'as the vendor sends it' };

function bodyFieldsOf(op: RedocOperation): { name: string; required: boolean; schema: JsonSchema }[] {
  const fields = (op.bodyFields ?? []).filter((f) => f.name !== '').map((f) => ({ name: f.name, required: f.required, schema: schemaOfRedocField(f) }));
  // Keys of the request sample that the field list lost (Redoc prints array fields' names as buttons).
  const sample = op.requestSample;
  if (sample && typeof sample === 'object' && !Array.isArray(sample)) {
    const orphanRequired = (op.bodyFields ?? []).some((f) => f.name === '');
    for (const [key, value] of Object.entries(sample as Record<string, unknown>)) {
      if (fields.some((f) => f.name === key)) continue;
      fields.push({
        name: key,
        required: orphanRequired && Array.isArray(value),
        schema: Array.isArray(value) ? { type: 'array', items: { type: 'object', additionalProperties: true } } : schemaOfSample(value),
      });
    }
  }
  return fields;
}

function paramsOf(op: RedocOperation): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, list] of [
    ['path', op.pathParams],
    ['query', op.queryParams],
    ['header', op.headerParams],
  ] as const) {
    for (const f of list) {
      const schema = schemaOfRedocField(f);
      const description = schema.description;
      delete schema.description;
      out.push({ name: f.name, in: where, ...(where === 'path' || f.required ? { required: true } : {}), ...(description ? { description } : {}), schema });
    }
  }
  return out;
}

function responses(schema: JsonSchema | null, status = '200'): JsonSchema {
  return {
    [status]: schema === null ? { description: 'Success' } : { description: 'Success', content: { 'application/json': { schema } } },
    default: { description: "An error in the vendor's error shape", content: { 'application/json': { schema: ref('Error') } } },
  };
}

// ----------------------------------------------------------------------------------------------
// ISOlocity
// ----------------------------------------------------------------------------------------------

const ISOLOCITY_TAGS = new Set([
  'System Status',
  'Companies',
  'Suppliers',
  'Inventory',
  'NCRs',
  'Orders',
  'Parts',
  'Inspections',
  'Inspections Samples',
  'Corrective Action Reports (CARs)',
  'ShipmentItems',
  'Specifications',
  'Lab Results',
  'Complaints',
  'OrderItems',
  'Receiving Inspection Items',
  'Shipments',
  'Receiving Inspections',
  'PartTypes',
  'Locations',
  'Customers',
  'Employees',
]);

/** Records the document never shows a body for: fields from the sandbox's reading (docs/vendors/isolocity.md). */
const ISOLOCITY_EXTRA_FIELDS: Record<string, JsonSchema> = {
  Company: { name: { type: ['string', 'null'] } },
  Specification: { name: { type: ['string', 'null'] }, identification: { type: ['string', 'null'] }, characteristics: { type: 'array', items: { type: 'object', additionalProperties: true } } },
  Inventory: { part_id: { type: ['integer', 'null'] }, quantity: { type: ['number', 'null'] }, locations: { type: 'array', items: { type: 'object', additionalProperties: true } } },
  Inspection: { lot_number: { type: ['string', 'null'] }, samples: { type: 'array', items: { type: 'object', additionalProperties: true } } },
  InspectionSample: { inspection_id: { type: ['integer', 'null'] }, results: { type: 'array', items: { type: 'object', additionalProperties: true } } },
  Ncr: { status: { type: ['string', 'null'] } },
  Shipment: { actual_ship_date: { type: ['string', 'null'] } },
};

/**
 * Required fields the single operations leave unmarked but the document requires elsewhere:
 * "Create multiple new parts" marks `name` and `identification` required (docs/vendors/isolocity.md, Parts).
 */
const ISOLOCITY_REQUIRED: Record<string, string[]> = {
  createPart: ['name', 'identification'],
  // docs/vendors/isolocity.md "Orders": an item needs its part, quantity and serial number (its lot).
  addOrderItem: ['part_id', 'quantity', 'serial_number'],
  // docs/vendors/isolocity.md "Inspections": `entity_id` is required and must be a part.
  createInspection: ['entity_id'],
};

/** "Update the linked locations for a specific inventory" prints "Schema not provided": the sandbox's reading (docs/vendors/isolocity.md "Inventory"). */
const INVENTORY_LOCATIONS_BODY = {
  type: 'object',
  description: 'Not in the document ("Schema not provided"); our reading, docs/vendors/isolocity.md "Inventory": replaces the linked locations',
  required: ['locations'],
  properties: {
    locations: { type: 'array', items: { type: 'object', required: ['location_id', 'quantity'], properties: { location_id: { type: 'integer' }, quantity: { type: 'number', minimum: 0 } } } },
  },
};

function isolocityKind(path: string): string {
  if (path === '/status') return 'SystemStatus';
  if (path === '/inventory' || path.startsWith('/inventory/')) return 'Inventory';
  return recordKindOfPath(path);
}

function buildIsolocity(): Description {
  const text = readFileSync(`${SEEDS}/000_dc84e41bc020d3b8.txt`, 'utf8');
  const ops = parseRedocText(text, ISOLOCITY_TAGS);
  const records = new Map<string, Map<string, JsonSchema>>();
  const recordOf = (kind: string): Map<string, JsonSchema> => {
    let r = records.get(kind);
    if (!r) records.set(kind, (r = new Map([['id', { type: 'integer' }]])));
    return r;
  };
  const routed = ops.map((op) => {
    const route = ISOLOCITY_ROUTES[op.line] ?? ISOLOCITY_ROUTES[op.line - 2];
    if (!route) throw new Error(`ISOlocity line ${op.line} (${op.summary}) has no route`);
    return { op, method: route[0], path: route[1], operationId: route[2], kind: isolocityKind(route[1]) };
  });
  for (const { op, kind } of routed) {
    const fields = recordOf(kind);
    for (const f of bodyFieldsOf(op)) {
      if (f.name === 'esignature_password' || f.name === 'esignature_reason') continue; // write-only
      if (!fields.has(f.name)) fields.set(f.name, nullable(f.schema));
    }
  }
  for (const [kind, extra] of Object.entries(ISOLOCITY_EXTRA_FIELDS)) for (const [k, v] of Object.entries(extra)) recordOf(kind).set(k, v as JsonSchema);
  const components: Record<string, JsonSchema> = {
    Error: {
      type: 'object',
      description: 'The document shows no error body; the sandbox answers Laravel\'s shape (docs/vendors/isolocity.md "Errors")',
      properties: { status: { type: 'string' }, message: { type: 'string' }, errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } } },
    },
    PageMeta: {
      type: 'object',
      description: "Laravel's length-aware paginator; `last_page` is absent on the real vendor (issue 12, https://docs.isolocity.com)",
      properties: {
        current_page: { type: 'integer' },
        per_page: { type: 'integer' },
        total: { type: 'integer' },
        from: { type: ['integer', 'null'] },
        to: { type: ['integer', 'null'] },
        last_page: { type: 'integer' },
        count: { type: 'integer' },
      },
    },
    SystemStatus: { type: 'object', properties: { status: { type: 'string' }, version: { type: 'string' }, online: { type: 'boolean' } } },
  };
  for (const [kind, fields] of records) {
    if (kind === 'SystemStatus') continue;
    fields.set('created_at', TIMESTAMP);
    fields.set('updated_at', TIMESTAMP);
    components[kind] = { type: 'object', properties: Object.fromEntries(fields), required: ['id'] };
  }
  const operations: Operation[] = routed.map(({ op, method, path, operationId, kind }) => {
    const isList = method === 'GET' && !path.endsWith('}') && kind !== 'SystemStatus';
    const isBulk = path.endsWith('/bulk');
    let response: JsonSchema | null;
    if (kind === 'SystemStatus') response = ref('SystemStatus');
    else if (method === 'DELETE') response = envelope(null);
    else if (isList || isBulk) response = envelope({ type: 'array', items: ref(kind) }, true);
    else response = envelope(ref(kind));
    const body = bodyFieldsOf(op);
    let requestBody: JsonSchema | undefined;
    if (op.bodyFields !== null) {
      const object =
        operationId === 'updateInventoryLocations'
          ? INVENTORY_LOCATIONS_BODY
          : op.bodyUnspecified
            ? { type: 'object', additionalProperties: true, description: 'Schema not provided by the document' }
            : objectOfRedocFields(body);
      const extraRequired = ISOLOCITY_REQUIRED[operationId];
      if (extraRequired) Object.assign(object, { required: [...new Set([...((object as { required?: string[] }).required ?? []), ...extraRequired])] });
      requestBody = { required: !op.bodyUnspecified && body.some((f) => f.required), content: { 'application/json': { schema: isBulk ? { type: 'array', maxItems: 500, items: object } : object } } };
    }
    const hasPage = op.queryParams.some((p) => p.name === 'page');
    return {
      method,
      path,
      operation: {
        operationId,
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        tags: [op.tag],
        'x-opsgraph-heading': `${op.tag} / ${op.summary}`,
        'x-opsgraph-seed-line': op.line,
        'x-opsgraph-evidence': ISOLOCITY_EVIDENCE,
        'x-opsgraph-record': kind,
        ...(hasPage
          ? { 'x-opsgraph-paging': { style: 'page', page: 'page', size: op.queryParams.some((p) => p.name === 'per_page') ? 'per_page' : null, maxSize: 200, items: 'data', meta: 'meta' } }
          : isList
            ? { 'x-opsgraph-paging': { style: 'none', items: 'data' } }
            : {}),
        parameters: paramsOf(op),
        ...(requestBody ? { requestBody } : {}),
        responses: responses(response, method === 'POST' && !isBulk && !path.endsWith('/samples') ? '201' : '200'),
      },
    };
  });
  return {
    vendor: 'isolocity',
    info: {
      title: 'ISOlocity API (as described by opsgraph)',
      version: '2.6.0',
      description:
        "The ISOlocity API can be used to create, update and query select data within the ISOlocity platform. Source: seed 000 (ISOlocity API 2.6.0); paths and record fields are opsgraph's decisions where the rendering dropped them (see x-opsgraph-evidence).",
    },
    servers: [{ url: 'https://app.isolocity.com/api/v2', description: 'Chosen prefix (docs/vendors/isolocity.md)' }],
    security: { bearerAuth: { type: 'http', scheme: 'bearer' } },
    components,
    operations,
  };
}

function envelope(data: JsonSchema | null, withMeta = false): JsonSchema {
  return {
    type: 'object',
    properties: { status: { type: 'string' }, message: { type: 'string' }, ...(withMeta ? { meta: ref('PageMeta') } : {}), ...(data ? { data } : {}) },
    required: ['status'],
  };
}

function nullable(schema: JsonSchema): JsonSchema {
  if (schema.$ref || schema.type === undefined) return schema;
  const type = schema.type;
  if (Array.isArray(type)) return schema;
  return { ...schema, type: [type, 'null'] };
}

// ----------------------------------------------------------------------------------------------
// Pharus
// ----------------------------------------------------------------------------------------------

function pharusTags(text: string): Set<string> {
  // Tag headings: the lines the seed's Redoc navigation shows between operations.
  return new Set(
    [
      'Locations',
      'Vendors',
      'Materials',
      'Products',
      'BOM',
      'Contacts',
      'MaterialsInventory',
      'FinishedGoodsInventory',
      'SalesOrders',
      'PurchaseOrders',
      'WorkOrders',
      'ProductionOrders',
      'Documents',
      'Platform',
      'Customers',
    ].filter((t) => text.includes(`\n${t}\n`)),
  );
}

const PHARUS_ENUM_LISTS = new Set(['listOrderStatuses', 'listFulfillmentStatuses', 'listPurchaseOrderStatuses', 'listWorkOrderStatuses', 'listProductionOrderStatuses']);
/** "List locations (bounded; no pagination)", enum lists and the ledger (issue 12: unpaginated) take no cursor. */
const PHARUS_UNPAGED = new Set(['listLocations', 'listFgLedger', 'listMaterialsLedger', 'fgSummary', 'materialsSummary', ...PHARUS_ENUM_LISTS]);

function pharusKind(path: string, operationId: string): string {
  if (path.includes('/ledger')) return path.startsWith('/materials') ? 'MaterialsLedgerEntry' : 'FgLedgerEntry';
  if (path.startsWith('/finished-goods-inventory/summary')) return 'FgSummaryRow';
  if (path.startsWith('/materials-inventory/summary')) return 'MaterialsSummaryRow';
  if (path.endsWith('/in-use')) return 'InUse';
  if (path.startsWith('/tokens')) return 'ApiToken';
  if (path.startsWith('/organizations/current/members')) return 'OrganizationMember';
  if (path.includes('invitations')) return 'Invitation';
  if (path.startsWith('/users')) return 'User';
  if (path.startsWith('/organizations')) return 'Organization';
  if (PHARUS_ENUM_LISTS.has(operationId)) return 'StatusValue';
  return recordKindOfPath(path);
}

function buildPharus(): Description {
  const text = readFileSync(`${SEEDS}/001_1f5adead09162992.txt`, 'utf8');
  const ops = parseRedocText(text, pharusTags(text));
  const routed = ops.map((op) => {
    const route = PHARUS_ROUTES[op.line] ?? PHARUS_ROUTES[op.line - 2];
    if (!route) throw new Error(`Pharus line ${op.line} (${op.summary}) has no route`);
    return { op, method: route[0], path: route[1], operationId: route[2], evidence: PHARUS_EVIDENCE[route[3] ?? 'convention'], kind: pharusKind(route[1], route[2]) };
  });
  // Records: the first flat entity sample (one with an "id") seen for a kind; else the body fields.
  const records = new Map<string, JsonSchema>();
  for (const { op, kind } of routed) {
    const s = op.responseSample;
    if (!records.has(kind) && s && typeof s === 'object' && !Array.isArray(s) && 'id' in (s as object)) records.set(kind, schemaOfSample(s));
  }
  for (const { op, kind, method } of routed) {
    if (records.has(kind) || method !== 'POST') continue;
    const fields = bodyFieldsOf(op).filter((f) => f.name !== '');
    if (fields.length === 0) continue;
    records.set(kind, {
      type: 'object',
      properties: {
        id: { type: 'string' },
        orgId: { type: 'string' },
        ...Object.fromEntries(fields.map((f) => [f.name, nullable(stripConstraints(f.schema))])),
        createdAt: { type: 'string', format: 'date-time' },
        updatedAt: { type: 'string', format: 'date-time' },
      },
    });
  }
  records.set('InUse', { type: 'object', properties: { inUse: { type: 'boolean' }, references: { type: 'object', additionalProperties: true } } });
  records.set('StatusValue', { type: 'string' });
  records.set('FgSummaryRow', {
    type: 'object',
    description: 'https://docs.pharus.ai/internal/api/endpoints/ (issue 12): {skuId, locationId, onHand, demand, allocated, available}',
    properties: { skuId: { type: 'string' }, locationId: { type: 'string' }, onHand: { type: 'number' }, demand: { type: 'number' }, allocated: { type: 'number' }, available: { type: 'number' } },
  });
  records.set('MaterialsSummaryRow', {
    type: 'object',
    properties: {
      materialId: { type: 'string' },
      locationId: { type: 'string' },
      onHand: { type: 'number' },
      demand: { type: 'number' },
      allocated: { type: 'number' },
      available: { type: 'number' },
    },
  });
  for (const kind of ['FgLedgerEntry', 'MaterialsLedgerEntry']) {
    if (!records.has(kind))
      records.set(kind, {
        type: 'object',
        properties: {
          id: { type: 'string' },
          ref: { type: 'string' },
          eventType: { type: 'string' },
          locationId: { type: 'string' },
          quantity: { type: 'number' },
          eventDate: { type: 'string' },
          notes: { type: ['string', 'null'] },
        },
      });
  }
  const components: Record<string, JsonSchema> = {
    Error: {
      type: 'object',
      description: 'Seed 001 "Conventions / Errors"',
      properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} }, required: ['code', 'message'] } },
      required: ['error'],
    },
    BulkImportResult: {
      type: 'object',
      description: 'Seed 001 "Conventions": bulk imports return a per-row { index, status, id? | error? }',
      properties: { results: { type: 'array', items: { type: 'object', properties: { index: { type: 'integer' }, status: { type: 'string' }, id: { type: 'string' }, error: {} } } } },
    },
    Deleted: { type: 'object', properties: { deletedId: { type: 'string' } } },
  };
  for (const [kind, schema] of records) components[kind] = schema;
  const refine = (schema: JsonSchema, kind: string, key?: string): JsonSchema => {
    // Collapsed nested samples: `data: []` is the kind's records; `salesOrder: {}` names its kind.
    if (schema.type === 'array') {
      const items = schema.items as JsonSchema;
      if (items && Object.keys(items).length === 0) {
        const target = key === 'data' ? kind : key ? pascal(key.replace(/s$/, '')) : kind;
        const named = key === 'items' ? `${kind}Item` : target;
        if (components[named]) return { type: 'array', items: ref(named) };
        if (components[target]) return { type: 'array', items: ref(target) };
      }
      return schema;
    }
    if (schema.type === 'object' && schema.properties) {
      return { ...schema, properties: Object.fromEntries(Object.entries(schema.properties as Record<string, JsonSchema>).map(([k, v]) => [k, refine(v, kind, k)])) };
    }
    if (schema.type === 'object' && key && components[pascal(key)]) return ref(pascal(key));
    // `receipt: {}` in a PurchaseOrderReceipt answer, `item: {}` in a WorkOrderItem one, `token: {}` in an ApiToken one.
    if (schema.type === 'object' && key && kind.endsWith(pascal(key)) && components[kind]) return ref(kind);
    return schema;
  };
  // Redoc collapsed the `items` of order creates; "Add item to …" documents one item's fields.
  const itemBodies = new Map<string, JsonSchema>();
  for (const { op, operationId } of routed) {
    const m = /^add(\w+)Item$/.exec(operationId);
    if (m) itemBodies.set(m[1]!, objectOfRedocFields(bodyFieldsOf(op)));
  }
  const withItems = (schema: JsonSchema, kind: string): JsonSchema => {
    const items = (schema.properties as Record<string, JsonSchema> | undefined)?.items;
    const item = itemBodies.get(kind);
    if (!items || !item) return schema;
    return { ...schema, properties: { ...(schema.properties as object), items: { type: 'array', description: `Items as "Add item to …" documents them`, items: item } } };
  };
  const operations: Operation[] = routed.map(({ op, method, path, operationId, evidence, kind }) => {
    const isBulk = path.endsWith('/bulk-import');
    let response: JsonSchema | null;
    const sample = op.responseSample;
    if (isBulk) response = ref('BulkImportResult');
    else if (operationId === 'purchaseOrderPdf') response = null;
    else if (sample && typeof sample === 'object' && !Array.isArray(sample) && 'id' in (sample as object) && components[kind]) response = ref(kind);
    else if (sample && typeof sample === 'object' && !Array.isArray(sample) && 'deletedId' in (sample as object)) response = ref('Deleted');
    else if (sample !== undefined) response = refine(schemaOfSample(sample), kind);
    else response = components[kind] ? ref(kind) : null;
    const fields = bodyFieldsOf(op);
    let requestBody: JsonSchema | undefined;
    if (op.bodyFields !== null) {
      const rowFields = fields.filter((f) => f.name !== '');
      const object = withItems(objectOfRedocFields(isBulk ? rowFields.filter((f) => f.name !== 'rows') : rowFields), kind);
      const schema = isBulk ? { type: 'object', properties: { rows: { type: 'array', items: object } }, required: ['rows'] } : object;
      requestBody = { required: true, content: { [operationId === 'uploadDocument' ? 'multipart/form-data' : 'application/json']: { schema } } };
    }
    const isList =
      method === 'GET' && response !== null && (response as JsonSchema).type === 'object' && ((response as JsonSchema).properties as Record<string, JsonSchema> | undefined)?.data?.type === 'array';
    const paged = isList && !PHARUS_UNPAGED.has(operationId);
    const parameters = paramsOf(op);
    if (paged) {
      parameters.push({ name: 'cursor', in: 'query', description: 'Seed 001 "Conventions / Cursor pagination"', schema: { type: 'string' } });
      parameters.push({ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1 } });
      ((response as JsonSchema).properties as Record<string, JsonSchema>).nextCursor = { type: ['string', 'null'] };
    }
    return {
      method,
      path,
      operation: {
        operationId,
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        tags: [op.tag],
        'x-opsgraph-heading': `${op.tag} / ${op.summary}`,
        'x-opsgraph-seed-line': op.line,
        'x-opsgraph-evidence': evidence,
        ...(components[kind] ? { 'x-opsgraph-record': kind } : {}),
        // A personal access token is a credential: opsgraph never returns it (the write still runs).
        ...(operationId === 'createApiToken' ? { 'x-opsgraph-sensitive': ['plaintext'] } : {}),
        ...(isList ? { 'x-opsgraph-paging': paged ? { style: 'cursor', cursor: 'cursor', size: 'limit', next: 'nextCursor', items: 'data' } : { style: 'none', items: 'data' } } : {}),
        parameters,
        ...(requestBody ? { requestBody } : {}),
        responses:
          operationId === 'purchaseOrderPdf'
            ? {
                '200': { description: 'The PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } },
                default: { description: 'error', content: { 'application/json': { schema: ref('Error') } } },
              }
            : responses(response, method === 'POST' && /^(create|add|upload|send|link)/.test(operationId) ? '201' : '200'),
      },
    };
  });
  return {
    vendor: 'pharus',
    info: {
      title: 'Pharus API (as described by opsgraph)',
      version: '1.0.0',
      description:
        "Pharus exposes every action in the platform as a REST endpoint. Source: seed 001 (Pharus API 1.0.0) and Pharus's per-endpoint pages; paths are opsgraph's decisions where neither shows them (see x-opsgraph-evidence).",
    },
    servers: [{ url: 'https://api.pharus.ai/api', description: 'Seed 001 "Conventions / Base path": every endpoint lives under /api' }],
    security: { bearerAuth: { type: 'http', scheme: 'bearer' }, orgId: { type: 'apiKey', in: 'header', name: 'X-Org-Id' } },
    components,
    operations,
  };
}

function stripConstraints(schema: JsonSchema): JsonSchema {
  const { minLength: _a, maxLength: _b, minimum: _c, maximum: _d, pattern: _e, ...rest } = schema;
  return rest;
}

// ----------------------------------------------------------------------------------------------

export function toOpenApi(d: Description): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of d.operations) (paths[op.path] ??= {})[op.method.toLowerCase()] = op.operation;
  return {
    openapi: '3.1.0',
    info: d.info,
    servers: d.servers,
    security: Object.keys(d.security).map((k) => ({ [k]: [] })),
    paths,
    components: { securitySchemes: d.security, schemas: d.components },
  };
}

function main(): void {
  if (!process.argv.includes('--force')) {
    console.error('This overwrites the reviewed docs/vendors/*.openapi.yaml: pass --force.');
    process.exit(1);
  }
  const only = process.argv.includes('--vendor') ? process.argv[process.argv.indexOf('--vendor') + 1] : undefined;
  const builders: Record<string, () => Description> = { isolocity: buildIsolocity, pharus: buildPharus, distru: buildDistru, hapihub: buildHapihub };
  for (const [vendor, build] of Object.entries(builders)) {
    if (only && only !== vendor) continue;
    const d = build();
    const header = `# ${vendor}: OpenAPI 3.1 description of every operation of the vendor's document.\n# Bootstrapped by scripts/openapi/build.ts from the seed, then reviewed; \`npm run codegen\` generates the GraphQL API from it.\n`;
    writeFileSync(new URL(`${vendor}.openapi.yaml`, OUT), header + stringify(toOpenApi(d), { lineWidth: 0, aliasDuplicateObjects: false }));
    console.log(`${vendor}: ${d.operations.length} operations`);
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) main();
export { camel };
