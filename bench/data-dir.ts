import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh directory for a benchmark gateway's embedded store, so runs never share or keep state. */
export function benchDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'opsgraph-bench-'));
}
