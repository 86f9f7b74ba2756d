import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/**
 * A fresh OPSGRAPH_DATA_DIR for a test file's gateways, removed after the file: without one a
 * gateway opens the default `./.opsgraph` in the checkout, shared by every file that runs at once
 * and kept between runs. Call it while the file is collected (at its top level or in a describe).
 */
export function testDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'opsgraph-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
