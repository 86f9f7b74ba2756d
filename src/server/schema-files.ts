import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const SCHEMA_DIR = fileURLToPath(new URL('../../schema/', import.meta.url));
/** The generated vendor APIs (`npm run codegen` from docs/vendors/*.openapi.yaml) and their shared scalar. */
const VENDOR_SCHEMA_DIR = join(SCHEMA_DIR, 'vendors');

function graphqlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

/** The unified SDL: every schema/*.graphql file, then schema/vendors/*.graphql, in name order, as one document. */
export function loadSchemaSdl(): string {
  return [...graphqlFiles(SCHEMA_DIR), ...graphqlFiles(VENDOR_SCHEMA_DIR)].join('\n');
}
