/**
 * The generated vendor APIs: from docs/vendors/<vendor>.openapi.yaml to
 *   schema/vendors/<vendor>.generated.graphql   SDL (Query.<vendor>, <vendor>… mutations, types)
 *   src/generated/<vendor>-api.generated.ts      operation table + zod schemas
 *   docs/vendors/coverage.json                   every operation and the GraphQL field that reaches it
 * Run by codegen.ts (`npm run codegen`; `npm run codegen:check` fails when any of them is stale).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { emitVendor } from './emit.js';
import { loadVendor, VENDORS } from './model.js';

export function generateVendorApiFiles(): Map<URL, string> {
  const root = new URL('../../', import.meta.url);
  const files = new Map<URL, string>();
  const coverage: unknown[] = [];
  const handWritten = handWrittenTypeNames(new URL('schema/', root));
  for (const vendor of VENDORS) {
    const out = emitVendor(loadVendor(vendor), handWritten);
    files.set(new URL(`schema/vendors/${vendor}.generated.graphql`, root), out.sdl);
    files.set(new URL(`src/generated/${vendor}-api.generated.ts`, root), out.ts);
    coverage.push(...out.coverage);
  }
  files.set(new URL('docs/vendors/coverage.json', root), `${JSON.stringify({ generatedBy: 'npm run codegen (scripts/vendor-api)', operations: coverage }, null, 2)}\n`);
  return files;
}

/** Names the unified schema (schema/*.graphql) already defines: generated types stay clear of them. */
function handWrittenTypeNames(dir: URL): Set<string> {
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.graphql'))) {
    for (const def of parse(readFileSync(new URL(file, dir), 'utf8')).definitions) if ('name' in def && def.name) names.add(def.name.value);
  }
  return names;
}
