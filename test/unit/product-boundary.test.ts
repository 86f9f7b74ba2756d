import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The product and its simulators are separate programs: a vendor rule the gateway took from a
// sandbox would let a shared misreading pass every test (docs/vendors/hapihub.md). Only the entry
// point (src/main.ts, which starts the sandboxes for `npm start`) and the sandbox wiring may name
// sandbox/; the vendor code and the resolvers never do.

const root = join(import.meta.dirname, '..', '..');
const IMPORT = /(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the product never imports the simulators', () => {
  it('has no import of sandbox/ in src/vendors, src/model, src/http, src/cache, src/mutations or resolvers', () => {
    const offenders: string[] = [];
    const dirs = ['src/vendors', 'src/model', 'src/http', 'src/cache', 'src/mutations', 'src/catalog', 'resolvers'];
    let files = 0;
    for (const dir of dirs) {
      for (const file of sourceFiles(join(root, dir))) {
        files++;
        for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
          if (/(^|\/)sandbox\//.test(match[1] ?? '')) offenders.push(`${relative(root, file)} imports ${match[1]}`);
        }
      }
    }
    expect(files).toBeGreaterThan(20);
    expect(offenders).toEqual([]);
  });

  it('keeps the HAPIHub stock rule in src/, where the sandbox imports it from', () => {
    const store = readFileSync(join(root, 'sandbox/hapihub/store.ts'), 'utf8');
    expect(store).toContain("from '../../src/vendors/hapihub/stock-rule.js'");
  });
});
