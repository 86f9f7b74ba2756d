// Part of `npm run build`: the compiled gateway reads the SDL at start from `schema/` beside its
// `src/` (src/server/schema-files.ts), generated vendor SDL in schema/vendors/ included, so dist/
// gets its own copy of schema/**/*.graphql. The sandboxes' generic handler reads the vendor
// descriptions (docs/vendors/*.openapi.yaml) beside its own code: those go to dist/docs/vendors/.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

function copyTree(from, to, keep) {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) copyTree(source, path.join(to, entry.name), keep);
    else if (keep(entry.name)) copyFileSync(source, path.join(to, entry.name));
  }
}

copyTree('schema', 'dist/schema', (name) => name.endsWith('.graphql'));
copyTree('docs/vendors', 'dist/docs/vendors', (name) => name.endsWith('.openapi.yaml'));
