/** HAPIHub (seed 003, apidoc): four operations on /inventory-transactions, fields from its tables. */
import { readFileSync } from 'node:fs';
import type { Description, Operation } from './build.js';
import type { JsonSchema } from './schema-from.js';

const SEEDS = process.env.OPSGRAPH_SEEDS ?? '/work/shared/seeds';
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const EVIDENCE = 'Seed 003 (HAPIHub api-docs 5.45.0); list paging and shapes from Feathers (seed README "What else is known")';

interface Row {
  name: string;
  type: string;
  description: string;
}

function table(lines: string[], from: number): Row[] {
  const rows: Row[] = [];
  let i = from;
  while (i < lines.length && lines[i] !== '|---|---|---|') i++;
  for (i++; i < lines.length; i += 2) {
    const m = /^\| ([\w.]+) \| ([\w[\]]+) \|$/.exec(lines[i]!);
    if (!m) break;
    rows.push({ name: m[1]!, type: m[2]!, description: (lines[i + 1] ?? '').replace(/\s*\|$/, '').trim() });
  }
  return rows;
}

function schemaOf(rows: Row[], prefix: string): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const row of rows) {
    const rest = row.name.slice(prefix.length);
    if (!row.name.startsWith(prefix) || rest.includes('.')) continue;
    const description = row.description.replace(/^optional\s*/, '');
    let schema: JsonSchema;
    switch (row.type) {
      case 'Object[]':
        schema = { type: 'array', items: schemaOf(rows, `${row.name}.`) };
        break;
      case 'Object': {
        const nested = schemaOf(rows, `${row.name}.`);
        schema = Object.keys(nested.properties as object).length ? nested : { type: 'object', additionalProperties: true };
        break;
      }
      case 'number':
        schema = { type: ['number', 'null'] };
        break;
      case 'boolean':
        schema = { type: ['boolean', 'null'] };
        break;
      default:
        schema = { type: ['string', 'null'] };
    }
    const allowed = /Allowed values: ([\w,-]+)/.exec(row.description);
    if (allowed && rest === 'type')
      schema = {
        type: 'string',
        enum: ['adjustment', 'purchase', 'sales', 'transfer', 'receiving', 'packaging', 'return'],
        description: 'Seed 003 prints "adjustment,purchas,s,ales,…": read as the seven types its other tables name',
      };
    else if (description) schema.description = description;
    properties[rest] = schema;
  }
  return { type: 'object', properties };
}

export function buildHapihub(): Description {
  const lines = readFileSync(`${SEEDS}/003_3699ef8af9685fad.txt`, 'utf8')
    .split('\n')
    .map((l) => l.trim());
  const at = (text: string) => lines.indexOf(text);
  const createParams = table(lines, lines.indexOf('Parameters - Parameter', at('POST /inventory-transactions')));
  const getResponse = table(lines, lines.indexOf('Success response - Success 200', at('GET /inventory-transactions/:id')));
  const patchParams = table(lines, lines.indexOf('Parameters - Parameter', at('PATCH /inventory-transactions/:id')));
  const transaction = schemaOf(getResponse, '');
  (transaction.properties as Record<string, JsonSchema>).id = { type: 'string' };
  const body = schemaOf(createParams, '');
  const patchBody = schemaOf(
    patchParams.filter((r) => r.name !== 'id'),
    '',
  );
  const op = (method: string, path: string, operationId: string, summary: string, heading: string, extra: JsonSchema): Operation => ({
    method,
    path,
    operation: { operationId, summary, tags: ['Inventory_Transaction'], 'x-opsgraph-heading': heading, 'x-opsgraph-evidence': EVIDENCE, 'x-opsgraph-record': 'InventoryTransaction', ...extra },
  });
  const ok = (schema: JsonSchema) => ({
    '200': { description: 'Success', content: { 'application/json': { schema } } },
    default: { description: 'Feathers error', content: { 'application/json': { schema: ref('Error') } } },
  });
  const idParam = { name: 'id', in: 'path', required: true, description: 'id of inventory-transaction', schema: { type: 'string' } };
  return {
    vendor: 'hapihub',
    info: {
      title: 'HAPIHub inventory transactions (as described by opsgraph)',
      version: '5.45.0',
      description: 'Clinic and pharmacy inventory transactions. Source: seed 003 (api-docs 5.45.0). Times are epoch milliseconds.',
    },
    servers: [{ url: 'https://hapihub.example', description: 'Configured per deployment' }],
    security: { bearerAuth: { type: 'http', scheme: 'bearer' } },
    components: {
      Error: {
        type: 'object',
        description: 'Feathers errors: {name, message, code, className, errors?}',
        properties: { name: { type: 'string' }, message: { type: 'string' }, code: { type: 'integer' }, className: { type: 'string' }, errors: {} },
      },
      InventoryTransaction: transaction,
      TransactionPage: {
        type: 'object',
        description: 'Feathers page object (seed README: a list may come as a bare array or as this)',
        properties: { total: { type: 'integer' }, limit: { type: 'integer' }, skip: { type: 'integer' }, data: { type: 'array', items: ref('InventoryTransaction') } },
      },
    },
    operations: [
      op('POST', '/inventory-transactions', 'createTransaction', 'Create an inventory-transaction', 'Transaction - Post', {
        parameters: [],
        requestBody: { required: true, content: { 'application/json': { schema: { ...body, required: ['warehouse', 'type', 'items'] } } } },
        responses: ok(ref('InventoryTransaction')),
      }),
      op('GET', '/inventory-transactions', 'listTransactions', 'Get array of inventory-transactions', 'Transaction - Find', {
        'x-opsgraph-paging': { style: 'offset', skip: '$skip', size: '$limit', maxSize: 500, items: 'data' },
        parameters: [
          { name: '$limit', in: 'query', schema: { type: 'integer', minimum: 0 } },
          { name: '$skip', in: 'query', schema: { type: 'integer', minimum: 0 } },
          { name: 'warehouse', in: 'query', description: 'Feathers field filter', schema: { type: 'string' } },
          { name: 'type', in: 'query', description: 'Feathers field filter', schema: { type: 'string' } },
          { name: 'createdAt[$gt]', in: 'query', description: 'Feathers range filter (epoch ms)', schema: { type: 'number' } },
        ],
        responses: ok({ oneOf: [{ type: 'array', items: ref('InventoryTransaction') }, ref('TransactionPage')] }),
      }),
      op('GET', '/inventory-transactions/{id}', 'getTransaction', "Get an inventory-transaction's details", 'Transaction - Get', { parameters: [idParam], responses: ok(ref('InventoryTransaction')) }),
      op('PATCH', '/inventory-transactions/{id}', 'patchTransaction', 'Patch an inventory-transaction', 'Transaction - Patch', {
        parameters: [idParam],
        requestBody: { required: true, content: { 'application/json': { schema: patchBody } } },
        responses: ok(ref('InventoryTransaction')),
      }),
    ],
  };
}
