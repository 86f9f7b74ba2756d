/**
 * Distru (seed 002): models from "Models" (property tables), operations from each "Request" block
 * (method and path, the Parameters table, the Responses table) and the recorded request bodies.
 */
import { readFileSync } from 'node:fs';
import type { Description, Operation } from './build.js';
import { schemaOfSample, type JsonSchema } from './schema-from.js';

const SEEDS = process.env.OPSGRAPH_SEEDS ?? '/work/shared/seeds';
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const TAGS = new Set(['Batch', 'Company', 'Inventory', 'Invoice', 'Location', 'Order', 'Package', 'Product', 'Purchase']);
/** Collections the document names without properties: `{data: [Item]}` with Distru's page fields. */
const COLLECTIONS: Record<string, string> = {
  Products: 'Product',
  Locations: 'Location',
  Packages: 'Package',
  Batches: 'Batch',
  Invoices: 'Invoice',
  Orders: 'Order',
  Purchases: 'Purchase',
  Companies: 'Company',
  Inventories: 'Inventory',
};
const DISTRU_EVIDENCE = 'Seed 002 (Distru API): path, method and parameters as printed; page fields from https://help.distru.com/en/articles/12314293-distru-api-faq (next_page / next_page_url)';

function typeSchema(type: string): JsonSchema {
  const arr = /^array\((\w+)\)$/.exec(type);
  if (arr) return { type: 'array', items: arr[1] === 'any' ? {} : typeSchema(arr[1]!) };
  switch (type) {
    case 'string':
      return { type: ['string', 'null'] };
    case 'number':
      return { type: ['number', 'string', 'null'], description: 'Distru sends decimals as strings ("10.000000000")' };
    case 'integer':
      return { type: ['integer', 'null'] };
    case 'boolean':
      return { type: ['boolean', 'null'] };
    default:
      return ref(type);
  }
}

function parseModels(lines: string[], from: number, to: number): Record<string, JsonSchema> {
  const models: Record<string, JsonSchema> = {};
  for (let i = from; i < to; i++) {
    if (lines[i] !== 'Property Description Type Required') continue;
    // Model name: the first non-blank line after the previous table (search back for a single word line followed by description).
    let k = i - 1;
    let name = '';
    let description = '';
    while (k > from) {
      const l = lines[k]!.trim();
      if (/^[A-Z]\w*$/.test(l) && lines[k + 1]!.trim() === '') {
        name = l;
        const d = lines
          .slice(k + 1, i)
          .map((x) => x.trim())
          .find((x) => x !== '' && !x.startsWith('{') && !x.startsWith('"'));
        description = d ?? '';
        break;
      }
      k--;
    }
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (let j = i + 1; j < to && lines[j]!.trim() !== ''; j++) {
      const parts = lines[j]!.trim().split(' ');
      const req = parts.pop() === 'true';
      const type = parts.pop()!;
      const prop = parts.shift()!;
      // The Charge model types `type` and `unit_type` "array(any)", but every recorded body and request
      // example sends one string ("TAX", "Discount", "PERCENT"): read what Distru sends.
      const typed = type === 'array(any)' && name === 'Charge' ? { type: ['string', 'null'] } : typeSchema(type);
      const schema = { ...typed, ...(parts.length ? { description: parts.join(' ') } : {}) };
      if (prop.includes('.')) {
        const [head, tail] = prop.split('.') as [string, string];
        const parent = (properties[head] ??= { type: 'object', properties: {} }) as { properties: Record<string, JsonSchema> };
        parent.properties[tail] = schema;
      } else properties[prop] = schema;
      if (req) required.push(prop);
    }
    if (Object.keys(properties).length === 0 && COLLECTIONS[name]) {
      models[name] = {
        type: 'object',
        description,
        properties: { data: { type: 'array', items: ref(COLLECTIONS[name]!) }, next_page: { type: ['string', 'null'] }, next_page_url: { type: ['string', 'null'] } },
      };
    } else if (Object.keys(properties).length === 0) {
      models[name] = { type: 'array', description, items: { type: 'object', additionalProperties: true } };
    } else {
      models[name] = { type: 'object', description, properties, ...(required.length ? { required } : {}) };
    }
  }
  return models;
}

export function buildDistru(): Description {
  const text = readFileSync(`${SEEDS}/002_c222c93ad4a38854.txt`, 'utf8');
  const lines = text.split('\n').map((l) => l.replace(/\s+$/, ''));
  const firstOp = lines.findIndex((l, i) => l === 'Batch' && lines[i + 2] === 'Get batches');
  const components: Record<string, JsonSchema> = {
    Error: {
      type: 'object',
      description: 'Seed 002: 400 {errors:[{context,message,pointer,section}]}',
      properties: {
        errors: { type: 'array', items: { type: 'object', properties: { context: {}, message: { type: 'string' }, pointer: { type: ['string', 'null'] }, section: { type: ['string', 'null'] } } } },
      },
    },
    ...parseModels(lines, 0, firstOp),
  };
  // Referenced but not defined in the document.
  for (const missing of ['UnitType', 'ProductCategory', 'Brand', 'SalesOrderItem', 'License', 'Page']) {
    if (!components[missing]) components[missing] = { type: 'object', additionalProperties: true, description: 'Referenced by seed 002 without a definition' };
  }
  const operations: Operation[] = [];
  let tag = '';
  let title = '';
  for (let i = firstOp; i < lines.length; i++) {
    const l = lines[i]!;
    if (TAGS.has(l) && lines[i + 1] === '' && lines[i + 2] && /^(Get|Upsert)/.test(lines[i + 2]!)) {
      tag = l;
      continue;
    }
    if (/^(Get|Upsert) /.test(l) && lines[i - 1] === '' && lines[i + 1] === '' && !/ returns | creates | updates | allows | applies | reports /.test(l) && l.split(' ').length <= 4) title = l;
    if (l !== 'Request' || !/^(GET|POST|PUT|PATCH|DELETE) \//.test(lines[i + 2] ?? '')) continue;
    const [method, rawPath] = lines[i + 2]!.split(' ') as [string, string];
    const description = (() => {
      let k = i - 1;
      while (k > 0 && lines[k] === '') k--;
      return lines[k]!;
    })();
    const params: { name: string; description: string; in: string; type: string; required: boolean; example?: string }[] = [];
    let j = i + 3;
    while (j < lines.length && lines[j] !== 'Parameter Description In Type Required Default Example' && lines[j] !== 'Responses') j++;
    if (lines[j] !== 'Responses') {
      for (j = j + 1; lines[j]!.trim() !== ''; j++) {
        const m = /^(\S+) (.*) (query|body|path|header) (\S+) (true|false)(?: (.*))?$/.exec(lines[j]!);
        if (m) params.push({ name: m[1]!, description: m[2]!, in: m[3]!, type: m[4]!, required: m[5] === 'true', ...(m[6] ? { example: m[6] } : {}) });
      }
      while (lines[j] !== 'Responses') j++;
    }
    const resp = /^200 (.*) (\w+)$/.exec(lines[j + 3] ?? '');
    const schemaName = resp?.[2] ?? '';
    const path = rawPath.replace(/\{id\}/, '{id}');
    // The recorded body of the same endpoint (the JSON after its request line), for keys the table lost.
    const recorded = recordedBody(lines, method, path, firstOp);
    const parameters: JsonSchema[] = [];
    const bodyProps: Record<string, JsonSchema> = {};
    const bodyRequired: string[] = [];
    for (const p of params) {
      if (p.name === 'page') {
        parameters.push({ name: 'page[number]', in: 'query', description: 'Pagination information (seed 002 "PageWithSize")', schema: { type: 'integer', minimum: 1 } });
        parameters.push({ name: 'page[size]', in: 'query', schema: { type: 'integer', minimum: 1 } });
        continue;
      }
      // The document prints write fields "in query"; its recorded requests send them in the JSON body.
      if (method === 'POST' && p.in !== 'path') {
        bodyProps[p.name] = { ...typeSchemaWrite(p.type, components), description: p.description };
        if (p.required) bodyRequired.push(p.name);
        continue;
      }
      const isArray = p.type.startsWith('array');
      parameters.push({
        name: isArray ? `${p.name}[]` : p.name,
        in: p.in,
        ...(p.in === 'path' || p.required ? { required: true } : {}),
        description: p.description + (p.example ? ` (example: ${p.example})` : ''),
        schema: isArray ? { type: 'array', items: { type: 'string' } } : { type: p.type === 'integer' ? 'integer' : 'string' },
        ...(isArray ? { style: 'form', explode: true } : {}),
      });
    }
    if (recorded && method === 'POST') for (const [k, v] of Object.entries(recorded)) if (!(k in bodyProps)) bodyProps[k] = schemaOfSample(v);
    const isList = method === 'GET' && !path.endsWith('}');
    operations.push({
      method,
      path,
      operation: {
        operationId: operationIdOf(method, path, isList),
        summary: title || description,
        description,
        tags: [tag],
        'x-opsgraph-heading': `${tag} / ${title}`,
        'x-opsgraph-evidence': DISTRU_EVIDENCE,
        ...(COLLECTIONS[schemaName] ? { 'x-opsgraph-record': COLLECTIONS[schemaName] } : components[schemaName] ? { 'x-opsgraph-record': schemaName } : {}),
        ...(isList
          ? {
              'x-opsgraph-paging': parameters.some((p) => p.name === 'page[number]')
                ? { style: 'page', page: 'page[number]', size: 'page[size]', maxSize: 500, items: 'data', next: 'next_page' }
                : { style: 'none', items: 'data' },
            }
          : {}),
        parameters,
        ...(method === 'POST'
          ? { requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: bodyProps, ...(bodyRequired.length ? { required: bodyRequired } : {}) } } } } }
          : {}),
        responses: {
          '200': {
            description: resp?.[1] ?? 'Success',
            content: {
              'application/json': {
                schema: COLLECTIONS[schemaName]
                  ? ref(schemaName)
                  : schemaName === 'Order' || schemaName === 'Invoice' || schemaName === 'Purchase'
                    ? { type: 'object', properties: { data: ref(schemaName) } }
                    : ref(schemaName),
              },
            },
          },
          '400': { description: 'Validation errors', content: { 'application/json': { schema: ref('Error') } } },
        },
      },
    });
    title = '';
  }
  operations.push(...sessionOperations());
  return {
    vendor: 'distru',
    info: {
      title: 'Distru API (as described by opsgraph)',
      version: '1',
      description: "Distru's public API allows you to easily access and manipulate your data in our system automatically. Source: seed 002.",
    },
    servers: [{ url: 'https://app.distru.com', description: 'Seed 002: /public/v1/… with the API token; sessions under /api/v1/sessions' }],
    security: { bearerAuth: { type: 'http', scheme: 'bearer' } },
    components,
    operations,
  };
}

function typeSchemaWrite(type: string, components: Record<string, JsonSchema>): JsonSchema {
  if (type === 'string') return { type: 'string' };
  if (type === 'number') return { type: ['number', 'string'] };
  if (type === 'integer') return { type: 'integer' };
  if (type === 'boolean') return { type: 'boolean' };
  // "…ItemsRequest" / "…ChargesRequest" are collections of the singular request model.
  const single = type.replace(/ItemsRequest$/, 'ItemRequest').replace(/ChargesRequest$/, 'ChargeRequest');
  const target = components[single] ? single : type === 'InvoiceChargesRequest' || type === 'PurchaseChargesRequest' ? 'OrderChargeRequest' : single;
  if (components[target]) return { type: 'array', items: { $ref: `#/components/schemas/${target}` } };
  return { type: 'array', items: { type: 'object', additionalProperties: true } };
}

function recordedBody(lines: string[], method: string, path: string, from: number): Record<string, unknown> | null {
  for (let i = from; i < lines.length; i++) {
    if (lines[i] !== `${method} ${path}` || !lines[i + 1]?.startsWith('authorization:')) continue;
    let j = i + 1;
    while (j < lines.length && lines[j] !== '{' && lines[j] !== 'Response') j++;
    if (lines[j] !== '{') continue;
    const buf: string[] = [];
    for (; j < lines.length; j++) {
      buf.push(lines[j]!);
      if (lines[j] === '}') break;
    }
    try {
      return JSON.parse(buf.join('\n')) as Record<string, unknown>;
    } catch {
      return null;
    }
  }
  return null;
}

function operationIdOf(method: string, path: string, isList: boolean): string {
  const noun = path.replace('/public/v1/', '').replace(/\/\{id\}$/, '');
  const singular = noun.endsWith('ies') ? noun.slice(0, -3) + 'y' : noun.replace(/s$/, '');
  const pas = (w: string) => w[0]!.toUpperCase() + w.slice(1);
  if (method === 'POST') return `upsert${pas(singular)}`;
  if (noun === 'inventory') return 'listInventory';
  return isList ? `list${pas(noun)}` : `get${pas(singular)}`;
}

function sessionOperations(): Operation[] {
  const evidence = 'Seed 002 "Authentication": the curl examples give method, path and bodies';
  const heading = (t: string) => `Authentication / ${t}`;
  return [
    {
      method: 'POST',
      path: '/api/v1/sessions',
      operation: {
        operationId: 'createSession',
        summary: 'Logging in as your user',
        description: 'Using your Distru username and password, log in to Distru. Returns a JWT in `jwt`.',
        tags: ['Authentication'],
        'x-opsgraph-heading': heading('Logging in as your user'),
        'x-opsgraph-evidence': evidence,
        'x-opsgraph-sensitive': ['session.password', 'jwt'],
        security: [],
        parameters: [],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['session'],
                properties: {
                  session: { type: 'object', required: ['email', 'password'], properties: { email: { type: 'string' }, password: { type: 'string', writeOnly: true }, mobile: { type: 'boolean' } } },
                  platform: { type: 'string' },
                },
              },
            },
          },
        },
        responses: {
          '200': { description: 'The session', content: { 'application/json': { schema: { type: 'object', properties: { jwt: { type: 'string' }, user: { $ref: '#/components/schemas/User' } } } } } },
          '401': { description: 'Wrong credentials' },
        },
      },
    },
    {
      method: 'GET',
      path: '/api/v1/sessions/generate_api_token',
      operation: {
        operationId: 'generateApiToken',
        summary: 'Getting an API token',
        description:
          'Using the first JWT token you get from your initial sign in, call the session API one last time to get a long-term token suitable for use in your integration. It expires in 1 year.',
        tags: ['Authentication'],
        'x-opsgraph-heading': heading('Getting an API token'),
        'x-opsgraph-evidence': evidence,
        'x-opsgraph-sensitive': ['company.api_token'],
        parameters: [],
        responses: {
          '200': {
            description: 'The company with its api_token',
            content: { 'application/json': { schema: { type: 'object', properties: { company: { type: 'object', additionalProperties: true } } } } },
          },
        },
      },
    },
    {
      method: 'POST',
      path: '/api/v1/sessions/delete',
      operation: {
        operationId: 'deleteSessions',
        summary: 'Clean up your initial temporary user session',
        tags: ['Authentication'],
        'x-opsgraph-heading': heading('Finally, clean up your initial temporary user session'),
        'x-opsgraph-evidence': evidence,
        parameters: [],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['tokens'], properties: { tokens: { type: 'array', items: { type: 'string' } } } } } } },
        responses: { '200': { description: 'Deleted', content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } } } },
      },
    },
  ];
}
