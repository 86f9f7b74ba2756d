/**
 * `npm run coverage`: per vendor, how many documented operations (docs/vendors/coverage.json) a
 * GraphQL field or mutation of the built schema reaches, for reads and writes.
 */
import { readFileSync } from 'node:fs';
import { buildSchema, isObjectType, type GraphQLSchema } from 'graphql';
import { loadSchemaSdl } from '../../src/server/schema-files.js';

interface Entry {
  vendor: string;
  kind: 'read' | 'write';
  graphql: string;
}

function reaches(schema: GraphQLSchema, graphql: string): boolean {
  const [root, ...rest] = graphql.split('.');
  let type = root === 'Query' ? schema.getQueryType() : schema.getMutationType();
  for (let i = 0; i < rest.length; i++) {
    const field = type?.getFields()[rest[i]!];
    if (!field) return false;
    if (i === rest.length - 1) return true;
    const named = field.type.toString().replace(/[[\]!]/g, '');
    const next = schema.getType(named);
    type = next && isObjectType(next) ? next : null;
  }
  return false;
}

const { operations } = JSON.parse(readFileSync(new URL('../../docs/vendors/coverage.json', import.meta.url), 'utf8')) as { operations: Entry[] };
const schema = buildSchema(loadSchemaSdl());
const rows = new Map<string, { reads: [number, number]; writes: [number, number] }>();
const missing: string[] = [];
for (const entry of operations) {
  const row = rows.get(entry.vendor) ?? { reads: [0, 0], writes: [0, 0] };
  rows.set(entry.vendor, row);
  const cell = entry.kind === 'read' ? row.reads : row.writes;
  cell[1]++;
  if (reaches(schema, entry.graphql)) cell[0]++;
  else missing.push(`${entry.vendor} ${entry.graphql}`);
}
const pad = (s: string, n: number) => s.padEnd(n);
console.log(`${pad('vendor', 11)}${pad('reads', 10)}${pad('writes', 10)}all (reachable/documented)`);
let reached = 0;
for (const [vendor, { reads, writes }] of rows) {
  reached += reads[0] + writes[0];
  console.log(`${pad(vendor, 11)}${pad(`${reads[0]}/${reads[1]}`, 10)}${pad(`${writes[0]}/${writes[1]}`, 10)}${reads[0] + writes[0]}/${reads[1] + writes[1]}`);
}
console.log(`${pad('total', 31)}${reached}/${operations.length}`);
if (missing.length) {
  console.log(`not reachable:\n  ${missing.join('\n  ')}`);
  process.exitCode = 1;
}
