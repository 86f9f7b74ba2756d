import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const SCHEMA_DIR = fileURLToPath(new URL('../../schema/', import.meta.url));

/** The unified SDL: every schema/*.graphql file, in name order, as one document. */
export function loadSchemaSdl(): string {
  return readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(join(SCHEMA_DIR, f), 'utf8'))
    .join('\n');
}
